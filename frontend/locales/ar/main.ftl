app-name = Amtsweg
