# Applicant portal: services, forms, evidence, payment, status (issue 4).

nav-portal-applications = Meine Anträge
nav-intake-inbox = Posteingang Anträge

intake-choose = Bitte wählen
intake-amount = { $amount } €
intake-fee-from = Gebühr: { $amount } €
intake-services-title = Leistungen
intake-services-lead = Wählen Sie, was Sie beantragen möchten. Sie können jederzeit speichern und später weitermachen.
intake-place-label = Wohnort oder Postleitzahl
intake-place-hint = Zum Beispiel „Borken“ oder „46325“. Daraus ergibt sich die zuständige Ausländerbehörde.
intake-place-find = Zuständige Behörde finden
intake-authority-title = Zuständige Behörde
intake-authority-found = Zuständig ist: { $authority }.
intake-authority-several = Zu dieser Postleitzahl gehören mehrere Behörden. Bitte wählen Sie Ihre.
intake-start = Antrag beginnen
intake-sign-in-first = Um einen Antrag zu stellen, melden Sie sich bitte an oder legen ein Konto an.
intake-steps = Schritte des Antrags
intake-step-of = Schritt { $page } von { $total }
intake-back = Zurück
intake-continue = Weiter
intake-save-later = Speichern und später weitermachen
intake-edit = „{ $name }“ ändern
intake-review-title = Angaben prüfen
intake-review-lead = Bitte prüfen Sie Ihre Angaben, laden Sie die Nachweise hoch und bezahlen Sie die Gebühr. Danach können Sie den Antrag absenden.
intake-quick-check-title = Ergebnis des Schnell-Checks
intake-quick-check-lead = Der Schnell-Check ist unverbindlich. Diese Punkte könnten fehlen; Sie können den Antrag trotzdem stellen.
intake-evidence-title = Nachweise
intake-evidence-kind = Art des Nachweises
intake-evidence-missing = fehlt noch
intake-evidence-optional = freiwillig
intake-evidence-present = hochgeladen
intake-file = Datei
intake-upload = Hochladen
intake-upload-hint = PDF, JPEG oder PNG, höchstens { $count } MB je Datei.
intake-remove = { $name } entfernen
intake-remove-short = Entfernen
intake-fee-title = Gebühr
intake-pay = Gebühr bezahlen
intake-submit-title = Absenden
intake-submit-lead = Mit dem Absenden geht Ihr Antrag an die zuständige Behörde. Sie erhalten eine Eingangsbestätigung.
intake-submit = Antrag verbindlich absenden
intake-exemption-protection = Sie sind von der Gebühr befreit (Schutzstatus).
intake-exemption-minor = Für Minderjährige gilt die halbe Gebühr.
intake-payment-pending = Die Zahlung ist noch nicht abgeschlossen.
intake-payment-paid = Die Gebühr ist bezahlt.
intake-payment-declined = Die Zahlung wurde abgelehnt. Bitte versuchen Sie es erneut.
intake-payment-abandoned = Die Zahlung wurde abgebrochen. Bitte versuchen Sie es erneut.
intake-reference = Aktenzeichen
intake-submitted-at = Eingegangen am
intake-paid = Bezahlt
intake-receipt-pdf = Eingangsbestätigung als PDF
intake-status-title = Stand Ihres Antrags
intake-state = Stand
intake-state-submitted = Eingegangen
intake-state-submitted-text = Ihr Antrag ist bei der Behörde angekommen.
intake-state-in_progress = In Bearbeitung
intake-state-in_progress-text = Eine Sachbearbeiterin oder ein Sachbearbeiter prüft Ihren Antrag.
intake-state-awaiting_applicant = Ihre Mitwirkung nötig
intake-state-awaiting_applicant-text = Die Behörde braucht etwas von Ihnen. Bitte lesen Sie die Nachrichten.
intake-state-decided = Entschieden
intake-state-decided-text = Über Ihren Antrag ist entschieden.
intake-state-ready_for_pickup = Zur Abholung bereit
intake-state-ready_for_pickup-text = Ihr Dokument liegt zur Abholung bereit.
intake-state-closed = Abgeschlossen
intake-state-closed-text = Der Vorgang ist abgeschlossen.
intake-messages-title = Nachrichten
intake-message-from-authority = Von der Behörde
intake-message-from-you = Von Ihnen
intake-message-from-applicant = Von der antragstellenden Person
intake-message-due = Bitte antworten Sie bis { $name }.
intake-reply-label = Ihre Antwort
intake-reply-send = Antwort senden
intake-appointments-title = Termine
intake-slot = Freier Termin
intake-book = Termin buchen
intake-cancel-appointment = Termin absagen
intake-pickup-title = Abholung
intake-pickup-text = Ihr Dokument liegt bereit: { $name }. Den Abholcode finden Sie in Ihren Nachrichten.
intake-applications-title = Meine Anträge
intake-new-application = Neuen Antrag stellen
intake-drafts-title = Entwürfe
intake-drafts-empty = Sie haben keine Entwürfe.
intake-submitted-title = Abgesendete Anträge
intake-submitted-empty = Sie haben noch keinen Antrag abgesendet.
intake-inbox-title = Posteingang Anträge
intake-inbox-lead = Online eingegangene Anträge mit allen Angaben und Nachweisen.
intake-inbox-empty = Keine Anträge eingegangen.
intake-service = Leistung
intake-evidence-count = Nachweise
intake-content-type = Dateityp
intake-size = Größe
intake-data-title = Angaben
intake-message-label = Nachricht an die antragstellende Person
intake-message-due-label = Frist (freiwillig)
intake-date-hint = Format JJJJ-MM-TT
intake-message-send = Nachricht senden
intake-pickup-location = Abholort
intake-pickup-issue = Abholcode ausgeben
intake-pickup-issued = Abholcode (nur jetzt sichtbar):

intake-error-required = Bitte füllen Sie dieses Feld aus.
intake-error-too-long = Der Text ist zu lang.
intake-error-characters = Der Text enthält unzulässige Zeichen.
intake-error-email = Bitte geben Sie eine gültige E-Mail-Adresse ein.
intake-error-date = Bitte geben Sie ein Datum im Format JJJJ-MM-TT ein.
intake-error-date-past = Das Datum muss in der Vergangenheit liegen.
intake-error-date-future = Das Datum muss in der Zukunft liegen.
intake-error-option = Bitte wählen Sie einen der angebotenen Werte.
intake-error-number = Bitte geben Sie eine ganze Zahl ein.
intake-error-range = Die Zahl liegt außerhalb des erlaubten Bereichs.
intake-error-postal-code = Eine Postleitzahl hat fünf Ziffern.
intake-error-document-number = Bitte 6 bis 12 Großbuchstaben und Ziffern ohne Leerzeichen.
intake-error-place-empty = Bitte geben Sie Ihren Wohnort oder Ihre Postleitzahl ein.
intake-error-place-not-found = Diesen Ort kennen wir in Nordrhein-Westfalen nicht.
intake-error-service-inactive = Diese Behörde bietet die Leistung online noch nicht an.
intake-error-file-type = Nur PDF-, JPEG- und PNG-Dateien sind erlaubt.
intake-error-file-size = Die Datei ist zu groß.
intake-error-file-count = Sie haben die höchste Zahl an Dateien erreicht.
intake-error-file-empty = Bitte wählen Sie eine Datei aus.
intake-error-evidence-kind = Bitte wählen Sie die Art des Nachweises.
intake-problem-evidence = Es fehlen noch Nachweise.
intake-problem-unpaid = Die Gebühr ist noch nicht bezahlt.

intake-flash-saved = Ihr Entwurf ist gespeichert.
intake-flash-uploaded = Die Datei ist hochgeladen.
intake-flash-removed = Die Datei ist entfernt.
intake-flash-paid = Vielen Dank, die Gebühr ist bezahlt.
intake-flash-declined = Die Zahlung wurde abgelehnt.
intake-flash-abandoned = Die Zahlung wurde abgebrochen.
intake-flash-submitted = Ihr Antrag ist eingegangen. Eine Bestätigung ist per E-Mail unterwegs.
intake-flash-message-sent = Die Nachricht ist gesendet.
intake-flash-booked = Ihr Termin ist gebucht.
intake-flash-cancelled = Ihr Termin ist abgesagt.
intake-flash-slot-taken = Dieser Termin ist gerade vergeben worden. Bitte wählen Sie einen anderen.

mail-intake-received-subject = Ihr Antrag ist eingegangen
mail-intake-received-body = Guten Tag,

    Ihr Antrag ist bei der Behörde eingegangen. Den Stand und die Eingangsbestätigung finden Sie in Ihrem Amtsweg-Konto:

    { $link }

    Diese E-Mail wurde automatisch erstellt.
mail-intake-message-subject = Neue Nachricht in Ihrem Amtsweg-Konto
mail-intake-message-body = Guten Tag,

    Sie haben eine neue Nachricht in Ihrem Amtsweg-Konto:

    { $link }

    Diese E-Mail wurde automatisch erstellt.

pdf-receipt-title = Eingangsbestätigung
pdf-receipt-note = Diese Bestätigung belegt den Eingang Ihres Antrags. Sie ist keine Entscheidung.

sim-pay-title = Zahlung (Simulator)
sim-pay-lead = Dieser Simulator steht für den Bezahldienst ePayBL. Wählen Sie, wie die Zahlung ausgehen soll.
sim-pay-purpose = Verwendungszweck
sim-pay-pay = Bezahlen
sim-pay-double = Bezahlen (Rückmeldung doppelt)
sim-pay-decline = Ablehnen
sim-pay-abandon = Abbrechen

# Tenant settings: services and appointment resources (staff, issue 4).
nav-intake-settings = Leistungen und Termine
intake-settings-title = Leistungen und Termine
intake-settings-lead = Welche Leistungen Ihre Behörde online anbietet, mit eigenen Hinweisen, Kontakt und Öffnungszeiten, und die Ressourcen für Termine.
intake-settings-services = Leistungen des Landeskatalogs
intake-settings-active = Online angeboten
intake-settings-own-texts = Eigene Hinweise
intake-settings-action = Aktion
intake-settings-edit = Bearbeiten
intake-settings-hints = Eigene Hinweise für Antragstellende
intake-settings-hints-hint = Erscheint unter der Beschreibung des Landes; die landesweite Fassung bleibt die Grundlage.
intake-settings-contact = Kontakt
intake-settings-opening-hours = Öffnungszeiten (Text)
intake-settings-save = Speichern
intake-settings-back = Zurück zu Leistungen und Terminen
intake-flash-settings-saved = Die Einstellungen sind gespeichert.
intake-flash-resource-added = Die Ressource ist angelegt.
intake-flash-resource-deactivated = Die Ressource ist außer Betrieb genommen.
intake-resources-title = Ressourcen für Termine
intake-resources-empty = Noch keine Ressourcen angelegt.
intake-resource-kind = Art
intake-resource-kind-counter = Schalter
intake-resource-kind-biometrics = Biometrie-Station
intake-resource-kind-interpreter = Dolmetscher/in
intake-resource-name = Bezeichnung
intake-resource-languages = Sprachen
intake-resource-languages-hint = Zweibuchstabige Sprachcodes mit Komma, z. B. ar,fa (für Dolmetscher/innen nötig).
intake-resource-hours = Öffnungszeiten
intake-resource-add = Ressource anlegen
intake-resource-deactivate = Außer Betrieb nehmen
intake-hours-opens = öffnet (HH:MM)
intake-hours-closes = schließt (HH:MM)
intake-hours-slot = Termindauer in Minuten
intake-hours-hint = Ortszeit in Deutschland. Lassen Sie einen Tag leer, an dem geschlossen ist.
intake-minutes = { $count } Min.
intake-weekday-1 = Montag
intake-weekday-2 = Dienstag
intake-weekday-3 = Mittwoch
intake-weekday-4 = Donnerstag
intake-weekday-5 = Freitag
intake-weekday-6 = Samstag
intake-weekday-7 = Sonntag
intake-error-time = Bitte geben Sie eine Uhrzeit im Format HH:MM ein.
intake-error-closes-before-opens = Die Schließzeit muss nach der Öffnungszeit liegen.
intake-error-slot-minutes = Bitte geben Sie 5 bis 240 Minuten ein.
intake-error-languages = Bitte zweibuchstabige Sprachcodes mit Komma, z. B. ar,fa.
intake-day-title = Tagesansicht
intake-day-lead = Wer wann kommt, für eine Ressource an einem Tag (Ortszeit).
intake-day-date = Datum (JJJJ-MM-TT)
intake-day-show = Anzeigen
intake-day-empty = An diesem Tag sind keine Termine gebucht.
intake-day-time = Uhrzeit
intake-day-person = Person

# Replies with documents (issue 4).
intake-reply-file = Dokument anhängen (freiwillig)
intake-reply-file-hint = PDF, JPEG oder PNG, höchstens 10 MB.
intake-reply-attachments = Angehängte Dokumente:
intake-replies = Antworten
intake-new-replies = { $count } neu
mail-intake-reply-subject = Neue Antwort im Posteingang Anträge
mail-intake-reply-body = Auf eine Nachricht Ihrer Behörde ist eine Antwort eingegangen. Sie finden sie nach der Anmeldung hier: { $link }
mail-intake-team-reply-subject = Neue Antwort auf einen Antrag ohne Bearbeitung
mail-intake-team-reply-body = Ein Antragsteller hat auf einen Antrag geantwortet, zu dem aus Ihrer Behörde noch niemand geschrieben hat. Weitere Antworten zu diesem Antrag melden wir erst wieder, wenn jemand ihn geöffnet hat. Nach der Anmeldung finden Sie ihn hier: { $link }

# Appointment reminders (issue 4).
mail-intake-reminder-subject = Erinnerung an Ihren Termin
mail-intake-reminder-body = Sie haben in den nächsten 24 Stunden einen Termin bei Ihrer Behörde. Uhrzeit und Ort sehen Sie nach der Anmeldung hier: { $link }

# Self-service terminals (kiosk mode)
kiosk-name = Selbstbedienung
kiosk-nav = Aktionen am Terminal
kiosk-start = Zum Start
kiosk-idle-hint = Zu Ihrem Schutz: Ohne Eingabe werden Sie nach { $minutes } Minuten abgemeldet, also um { $time } Uhr. Jede Eingabe verlängert die Zeit.
kiosk-start-title = Selbstbedienung
kiosk-start-lead = Hier stellen Sie Anträge bei { $authority }, laden Nachweise hoch und bezahlen die Gebühr.
kiosk-privacy-title = Ihre Daten an diesem Gerät
kiosk-privacy-text = Dieses Gerät behält nichts von Ihnen. Melden Sie sich ab, wenn Sie fertig sind; ohne Eingabe geschieht das nach kurzer Zeit von selbst. Ein Entwurf bleibt in Ihrem Konto, Sie können ihn später zu Hause fortsetzen.
kiosk-flash-timed-out = Die Sitzung wurde beendet, weil eine Weile nichts eingegeben wurde. Auf diesem Gerät ist nichts von Ihnen geblieben.
kiosk-warning-title = Sind Sie noch da?
kiosk-warning-text = Ohne Eingabe kehrt dieses Gerät in { $seconds } Sekunden zum Start zurück und meldet Sie ab. Ihr Entwurf bleibt in Ihrem Konto.
kiosk-warning-continue = Weiter arbeiten
kiosk-out-of-service-title = Terminal außer Betrieb
kiosk-out-of-service-lead = Dieses Gerät ist kein Selbstbedienungsterminal mehr. Bitte wenden Sie sich an das Personal. Ihren Antrag können Sie auch jederzeit im Online-Portal stellen.
kiosk-out-of-service-portal = Zum Online-Portal
kiosk-terminals-title = Selbstbedienungsterminals
kiosk-terminals-lead = Ein Gerät in Ihrer Behörde wird zum Terminal, wenn dort einmal seine Adresse geöffnet wird. Die Adresse wird nur einmal angezeigt; wer sie kennt, kann ein Gerät zum Terminal machen.
kiosk-terminals-empty = Noch keine Terminals eingerichtet.
kiosk-terminal-name = Bezeichnung
kiosk-terminal-name-hint = Woran Ihr Team das Gerät erkennt, z. B. „Foyer, links“.
kiosk-terminal-registered = Eingerichtet
kiosk-terminal-state = Zustand
kiosk-terminal-active = in Betrieb
kiosk-terminal-revoked = außer Betrieb
kiosk-terminal-revoke = Außer Betrieb nehmen
kiosk-terminal-add = Terminal einrichten
kiosk-terminal-created = Das Terminal ist eingerichtet. Öffnen Sie diese Adresse einmal im Browser des Geräts; sie wird nicht noch einmal angezeigt:
kiosk-flash-terminal-revoked = Das Terminal ist außer Betrieb. Seine Adresse funktioniert nicht mehr.
