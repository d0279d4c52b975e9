# Amtsweg – deutsche Texte (Rückfallsprache).
# Jede Sprache hat dieselben Schlüssel; ein Test prüft das.

## Rahmen

app-name = Amtsweg
app-tagline = Migrationsverwaltung Nordrhein-Westfalen
skip-to-main = Zum Hauptinhalt springen
nav-main = Hauptnavigation
nav-language = Sprache wählen
nav-workspace-home = Übersicht
nav-users = Benutzer
nav-audit = Protokoll
nav-operator-tenants = Behörden
nav-operator-audit = Plattformprotokoll
nav-ministry = Lagebild
nav-portal-account = Mein Konto
signed-in-as = Angemeldet als
sign-out = Abmelden
footer-imprint = Impressum
footer-privacy = Datenschutz
footer-accessibility = Barrierefreiheit
footer-operator = Ein Angebot des Landes Nordrhein-Westfalen.
required = Pflichtfeld
error-summary-title = Bitte prüfen Sie Ihre Angaben
error-prefix = Fehler:
yes = ja
no = nein
select-choose = Bitte wählen
filter-all = Alle
filter-submit = Filtern
filter-reset = Filter zurücksetzen
pagination-label = Seiten
pagination-prev = Vorherige Seite
pagination-next = Nächste Seite
pagination-position = Seite { $page } von { $count }

## Startseite

home-title = Willkommen bei Amtsweg
home-lead = Amtsweg ist die gemeinsame digitale Plattform der Ausländer- und Einbürgerungsbehörden in Nordrhein-Westfalen.
home-portal-title = Für Antragstellende
home-portal-text = Stellen Sie Anträge online, laden Sie Nachweise hoch und verfolgen Sie den Stand Ihres Anliegens – in Ihrer Sprache.
home-portal-link = Zum Antragsportal
home-staff-title = Für Beschäftigte der Behörden
home-staff-text = Melden Sie sich mit Ihrem dienstlichen Konto an, um mit Ihrer Behörde zu arbeiten.
home-staff-link = Anmelden für Beschäftigte
home-about-title = Über Amtsweg
home-about-text = Das Land betreibt Amtsweg zentral. Jede Behörde arbeitet in einem eigenen, abgeschotteten Bereich und sieht nur ihre eigenen Daten.

## Anmeldung

field-email = E-Mail-Adresse
field-password = Passwort
field-password-new = Neues Passwort
field-password-confirm = Passwort wiederholen
field-display-name = Name
field-totp-code = Sicherheitscode
field-role = Rolle
field-language = Sprache
field-action = Aktion
field-kind = Art der Behörde
field-rb = Regierungsbezirk
field-query = Suche nach Name, Kürzel oder AGS
password-hint = Mindestens { $min } Zeichen. Ein langer Satz ist leichter zu merken und sicherer als ein kurzes, kompliziertes Wort.
sign-in-title = Anmelden
sign-in-lead = Melden Sie sich mit Ihrem dienstlichen Konto an.
sign-in-submit = Anmelden
totp-title = Sicherheitscode eingeben
totp-lead = Ihr Konto ist mit einem zweiten Faktor geschützt.
totp-hint = Den sechsstelligen Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes.
totp-submit = Bestätigen
mfa-title = Zwei-Faktor-Anmeldung einrichten
mfa-lead = Zum Schutz der Daten, mit denen Sie arbeiten, brauchen Sie neben Ihrem Passwort einen Code aus einer Authenticator-App.
mfa-step-app-title = App bereitlegen
mfa-step-app = Öffnen Sie eine Authenticator-App auf Ihrem Diensthandy, zum Beispiel die von Ihrer IT freigegebene.
mfa-step-scan-title = Konto hinzufügen
mfa-step-scan = Scannen Sie den QR-Code mit der App.
mfa-qr-label = QR-Code zum Einrichten der Authenticator-App
mfa-manual = Wenn Sie den Code nicht scannen können, geben Sie den Schlüssel von Hand ein.
mfa-secret-label = Schlüssel
mfa-step-confirm-title = Code bestätigen
mfa-step-confirm = Geben Sie den sechsstelligen Code ein, den die App jetzt anzeigt.
mfa-submit = Einrichtung abschließen
recovery-title = Ihre Wiederherstellungscodes
recovery-lead = Mit diesen Codes melden Sie sich an, wenn Sie keinen Zugriff auf Ihre Authenticator-App haben. Jeder Code gilt nur einmal.
recovery-warning = Die Codes werden nur jetzt angezeigt. Bewahren Sie sie sicher auf, getrennt von Ihrem Passwort, zum Beispiel ausgedruckt in einem verschlossenen Schrank.
recovery-list-label = Wiederherstellungscodes
recovery-continue = Weiter zur Übersicht

## Arbeitsbereich

workspace-lead = Der Arbeitsbereich Ihrer Behörde.
workspace-tenant-heading = Ihre Behörde
workspace-tasks = Verwaltung
workspace-link-users = Benutzer und Einladungen verwalten
workspace-link-audit = Protokoll einsehen
users-title = Benutzer
users-heading = Benutzerkonten
users-caption = Benutzerkonten dieser Behörde
users-empty = Es gibt noch keine Benutzerkonten.
users-disable = Deaktivieren
users-disable-label = { $name } deaktivieren
mfa-on = eingerichtet
mfa-off = nicht eingerichtet
invitations-heading = Einladungen
invitations-caption = Versandte Einladungen
invitations-empty = Es gibt keine offenen Einladungen.
invitation-accepted = angenommen
invitation-pending = offen
invite-title = Person einladen
invite-lead = Die Person erhält eine E-Mail mit einem Link, über den sie ihr Konto einrichtet.
invite-submit = Einladung senden
col-name = Name
col-email = E-Mail-Adresse
col-role = Rolle
col-status = Status
col-mfa = Zwei-Faktor-Anmeldung
col-actions = Aktionen
col-created = Eingeladen am
col-expires = Gültig bis
col-state = Stand
col-at = Zeitpunkt
col-actor = Wer
col-action = Aktion
col-object = Objekt
col-source = Quelle
col-id = Kennung
col-slug = Kürzel
col-kind = Art
col-rb = Regierungsbezirk
col-ags = AGS
col-kreisschluessel = Kreisschlüssel
col-abh-kennung = ABH-Kennung
col-behoerdenkennzahl = Behördenkennzahl
col-vendor = Fachverfahren
col-contact = Kontakt
col-lifecycle = Stand der Anbindung
col-pilot = Pilotbehörde
col-confirmed = Bestätigt
col-user-count = Benutzerkonten
col-count = Anzahl
audit-title = Protokoll
audit-lead = Jede Änderung wird unveränderlich protokolliert. Die Einträge sind zu einer Kette verknüpft, deren Unversehrtheit Sie prüfen können.
audit-caption = Protokolleinträge ({ $total } insgesamt)
audit-col-seq = Nr.
audit-empty = Keine Einträge gefunden.
audit-filter-title = Protokoll filtern
audit-filter-hint = Zum Beispiel user.invited
audit-verify-title = Kette prüfen
audit-verify-text = Prüft, ob ein Eintrag nachträglich verändert oder entfernt wurde.
audit-verify-submit = Kette prüfen
audit-chain-intact = Die Protokollkette ist unversehrt.
audit-chain-broken = Die Protokollkette ist unterbrochen. Bitte informieren Sie sofort den Plattformbetrieb.
invitation-title = Einladung annehmen
invitation-lead = Sie wurden zu { $authority } als { $role } eingeladen. Richten Sie jetzt Ihr Konto ein.
invitation-submit = Konto einrichten

## Betrieb

tenants-title = Behörden
tenants-lead = Alle Behörden im Katalog und der Stand ihrer Anbindung.
tenants-filter-title = Behörden filtern
tenants-caption = Behörden im Katalog
tenants-count = { $shown } von { $total } Behörden
tenants-empty = Keine Behörde entspricht dem Filter.
back-to-tenants = Zurück zur Liste der Behörden

## Ministerium

ministry-title = Lagebild
ministry-lead = Der Stand der Digitalisierung über alle Behörden.
ministry-privacy-note = Diese Seite zeigt nur zusammengefasste Zahlen, nie personenbezogene Daten.
ministry-abh-total = Ausländerbehörden
ministry-pilots = Pilotbehörden
ministry-chart-abh-title = Ausländerbehörden je Regierungsbezirk
ministry-chart-abh-desc = Balkendiagramm: Anzahl der Ausländerbehörden je Regierungsbezirk, insgesamt { $total }. Die Zahlen stehen auch in der Tabelle darunter.
ministry-by-kind = Behörden nach Art
ministry-by-lifecycle = Behörden nach Stand der Anbindung

## Portal

portal-title = Antragsportal
portal-lead = Hier erledigen Sie Ihre Anliegen bei der Ausländerbehörde und der Einbürgerungsbehörde online.
portal-register-link = Konto erstellen
portal-sign-in-link = Anmelden
portal-what-title = Was Sie hier tun können
portal-what-apply = Anträge stellen, zum Beispiel auf einen Aufenthaltstitel oder die Einbürgerung
portal-what-documents = Nachweise hochladen
portal-what-status = den Stand Ihres Antrags verfolgen
portal-what-appointment = einen Termin vereinbaren, wenn Sie persönlich vorsprechen müssen
portal-privacy-title = Ihre Daten
portal-privacy-text = Ihre Angaben sieht nur die Behörde, die für Sie zuständig ist.
register-title = Konto erstellen
register-lead = Mit einem Konto können Sie Anträge stellen und Nachrichten Ihrer Behörde lesen.
register-email-hint = An diese Adresse senden wir einen Link zur Bestätigung.
register-name-hint = So sprechen wir Sie an.
register-language-hint = In dieser Sprache schreiben wir Ihnen.
register-submit = Konto erstellen
register-have-account = Sie haben schon ein Konto?
portal-sign-in-title = Anmelden
portal-sign-in-lead = Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an.
portal-no-account = Sie haben noch kein Konto?
check-mail-title = Bitte prüfen Sie Ihr Postfach
check-mail-text = Wir haben Ihnen eine E-Mail mit einem Link geschickt. Öffnen Sie den Link, um Ihre E-Mail-Adresse zu bestätigen.
check-mail-spam = Keine E-Mail erhalten? Sehen Sie auch im Spam-Ordner nach. Der Link ist 24 Stunden gültig.
confirmed-title = E-Mail-Adresse bestätigt
confirmed-text = Vielen Dank. Ihr Konto ist jetzt bereit, Sie können sich anmelden.
account-title = Mein Konto
account-lead = Ihre Angaben in diesem Portal.
account-applications = Meine Anträge
account-applications-empty = Sie haben noch keine Anträge gestellt.

## API

api-title = API-Referenz
api-lead = Die Schnittstelle für Fachverfahren und andere Systeme. Jede Anfrage braucht ein Zugriffstoken.
api-openapi-link = OpenAPI-Beschreibung (JSON) herunterladen
api-col-method = Methode
api-col-path = Pfad
api-col-summary = Beschreibung
api-empty = Es sind keine Operationen beschrieben.

## Fehlerseiten

error-status = Fehlercode { $status }
error-back = Zurück zur Startseite
error-not-found-detail = Vielleicht ist die Adresse falsch geschrieben oder die Seite wurde verschoben.
error-forbidden-detail = Ihr Konto hat keine Berechtigung für diese Seite.
error-internal-detail = Bitte versuchen Sie es später erneut. Der Fehler wurde protokolliert.
error-csrf-detail = Laden Sie die Seite neu und senden Sie das Formular noch einmal.

## Meldungen (Schlüssel, die die HTTP-Schicht verwendet)

error-credentials = E-Mail-Adresse oder Passwort sind nicht richtig.
error-throttled = Zu viele Versuche. Bitte warten Sie einige Minuten.
error-payload-too-large = Die Sendung ist zu groß
error-payload-too-large-detail = Eine Datei darf höchstens 10 MB groß sein. Bitte gehen Sie zurück, verkleinern Sie die Datei (zum Beispiel als PDF mit geringerer Auflösung) und laden Sie sie noch einmal hoch.
error-required = Bitte füllen Sie dieses Feld aus.
error-email-invalid = Bitte geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein.
error-password-short = Das Passwort muss mindestens { $min } Zeichen lang sein.
error-password-mismatch = Die beiden Passwörter stimmen nicht überein.
error-totp-invalid = Der Code ist nicht gültig. Bitte geben Sie den aktuellen Code ein.
error-email-taken = Für diese E-Mail-Adresse gibt es schon ein Konto.
error-role-invalid = Bitte wählen Sie eine der angebotenen Rollen.
error-csrf = Das Formular ist abgelaufen. Bitte senden Sie es noch einmal.
error-not-found = Seite nicht gefunden
error-forbidden = Kein Zugriff
error-internal = Ein technischer Fehler ist aufgetreten
error-invitation-invalid = Die Einladung ist ungültig, abgelaufen oder wurde schon angenommen.
flash-invited = Die Einladung wurde versandt.
flash-invitation-accepted = Ihr Konto ist eingerichtet. Bitte melden Sie sich jetzt an.
flash-user-disabled = Das Benutzerkonto wurde deaktiviert.
flash-signed-out = Sie haben sich abgemeldet.
flash-mfa-enabled = Die Zwei-Faktor-Anmeldung ist eingerichtet.
flash-chain-intact = Die Protokollkette ist unversehrt.
flash-chain-broken = Die Protokollkette ist unterbrochen. Bitte informieren Sie sofort den Plattformbetrieb.
flash-registered = Ihr Konto wurde erstellt. Bitte bestätigen Sie Ihre E-Mail-Adresse.
flash-confirmed = Ihre E-Mail-Adresse ist bestätigt.

## E-Mails (nur Angaben, die die empfangende Person selbst kennt)

mail-invitation-subject = Einladung zu Amtsweg: { $authority }
mail-invitation-body =
    Guten Tag,

    Sie wurden eingeladen, für { $authority } mit Amtsweg zu arbeiten.

    Über diesen Link richten Sie Ihr Konto ein:
    { $link }

    Der Link ist { $days ->
        [one] einen Tag
       *[other] { $days } Tage
    } gültig. Wenn Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.

    Amtsweg – Migrationsverwaltung Nordrhein-Westfalen
mail-confirm-subject = Bitte bestätigen Sie Ihre E-Mail-Adresse
mail-confirm-body =
    Guten Tag,

    bitte bestätigen Sie Ihre E-Mail-Adresse für das Antragsportal Amtsweg:
    { $link }

    Wenn Sie kein Konto erstellt haben, können Sie diese E-Mail ignorieren.

    Amtsweg – Migrationsverwaltung Nordrhein-Westfalen

## Werte

role-platform_operator = Plattformbetrieb
role-ministry_analyst = Ministerium (Auswertung)
role-tenant_admin = Administration der Behörde
role-clerk = Sachbearbeitung
role-approver = Zeichnungsbefugnis
role-applicant = Antragsteller/in
kind-ministry = Ministerium
kind-bezirksregierung = Bezirksregierung
kind-zab = Zentrale Ausländerbehörde
kind-abh = Ausländerbehörde
kind-einbuergerungsbehoerde = Einbürgerungsbehörde
lifecycle-catalogued = im Katalog
lifecycle-invited = eingeladen
lifecycle-onboarding = in Anbindung
lifecycle-live = in Betrieb
lifecycle-suspended = ausgesetzt
lifecycle-offboarded = abgemeldet
status-active = aktiv
status-disabled = deaktiviert
vendor-advis = ADVIS (Kommunix)
vendor-ok_visa = OK.VISA (AKDB)
vendor-other = anderes Fachverfahren
vendor-unknown = unbekannt

account-heading = Ihr Konto
account-sign-out-everywhere-hint = Wenn Sie ein Gerät verloren haben oder sich an einem fremden Rechner nicht abgemeldet haben, beenden Sie hier alle Ihre Sitzungen.
account-sign-out-everywhere = Auf allen Geräten abmelden
users-role-label = Rolle von { $name }
users-role-change = Ändern
flash-role-changed = Die Rolle wurde geändert.
