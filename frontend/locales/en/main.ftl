# Amtsweg – English texts.

## Frame

app-name = Amtsweg
app-tagline = Migration administration North Rhine-Westphalia
skip-to-main = Skip to main content
nav-main = Main navigation
nav-language = Choose language
nav-workspace-home = Overview
nav-users = Users
nav-audit = Audit log
nav-operator-tenants = Authorities
nav-operator-audit = Platform audit log
nav-ministry = Situation report
nav-portal-account = My account
signed-in-as = Signed in as
sign-out = Sign out
footer-imprint = Legal notice
footer-privacy = Privacy
footer-accessibility = Accessibility
footer-operator = A service of the State of North Rhine-Westphalia.
required = required
error-summary-title = Please check your entries
error-prefix = Error:
yes = yes
no = no
select-choose = Please choose
filter-all = All
filter-submit = Filter
filter-reset = Reset filter
pagination-label = Pages
pagination-prev = Previous page
pagination-next = Next page
pagination-position = Page { $page } of { $count }

## Home

home-title = Welcome to Amtsweg
home-lead = Amtsweg is the shared digital platform of the foreigners' and naturalization authorities in North Rhine-Westphalia.
home-portal-title = For applicants
home-portal-text = Apply online, upload your documents and follow the progress of your application – in your language.
home-portal-link = Go to the applicant portal
home-staff-title = For staff of the authorities
home-staff-text = Sign in with your work account to work with your authority.
home-staff-link = Staff sign-in
home-about-title = About Amtsweg
home-about-text = The state runs Amtsweg centrally. Every authority works in its own, isolated area and sees only its own data.

## Sign-in

field-email = Email address
field-password = Password
field-password-new = New password
field-password-confirm = Repeat password
field-display-name = Name
field-totp-code = Security code
field-role = Role
field-language = Language
field-action = Action
field-kind = Kind of authority
field-rb = Administrative region
field-query = Search by name, short name or AGS
password-hint = At least { $min } characters. A long sentence is easier to remember and safer than a short, complicated word.
sign-in-title = Sign in
sign-in-lead = Sign in with your work account.
sign-in-submit = Sign in
totp-title = Enter security code
totp-lead = Your account is protected with a second factor.
totp-hint = The six-digit code from your authenticator app, or one of your recovery codes.
totp-submit = Confirm
mfa-title = Set up two-factor sign-in
mfa-lead = To protect the data you work with, you need a code from an authenticator app in addition to your password.
mfa-step-app-title = Get the app ready
mfa-step-app = Open an authenticator app on your work phone, for example the one approved by your IT department.
mfa-step-scan-title = Add the account
mfa-step-scan = Scan the QR code with the app.
mfa-qr-label = QR code to set up the authenticator app
mfa-manual = If you cannot scan the code, enter the key by hand.
mfa-secret-label = Key
mfa-step-confirm-title = Confirm the code
mfa-step-confirm = Enter the six-digit code the app shows now.
mfa-submit = Finish setup
recovery-title = Your recovery codes
recovery-lead = Use these codes to sign in if you cannot access your authenticator app. Each code works only once.
recovery-warning = The codes are shown only now. Keep them safe and apart from your password, for example printed in a locked cabinet.
recovery-list-label = Recovery codes
recovery-continue = Continue to the overview

## Workspace

workspace-lead = Your authority's workspace.
workspace-tenant-heading = Your authority
workspace-tasks = Administration
workspace-link-users = Manage users and invitations
workspace-link-audit = View the audit log
users-title = Users
users-heading = User accounts
users-caption = User accounts of this authority
users-empty = There are no user accounts yet.
users-disable = Disable
users-disable-label = Disable { $name }
mfa-on = set up
mfa-off = not set up
invitations-heading = Invitations
invitations-caption = Invitations sent
invitations-empty = There are no open invitations.
invitation-accepted = accepted
invitation-pending = open
invite-title = Invite a person
invite-lead = The person receives an email with a link to set up their account.
invite-submit = Send invitation
col-name = Name
col-email = Email address
col-role = Role
col-status = Status
col-mfa = Two-factor sign-in
col-actions = Actions
col-created = Invited on
col-expires = Valid until
col-state = State
col-at = Time
col-actor = Who
col-action = Action
col-object = Object
col-source = Source
col-id = Identifier
col-slug = Short name
col-kind = Kind
col-rb = Administrative region
col-ags = AGS
col-kreisschluessel = District key
col-abh-kennung = ABH identifier
col-behoerdenkennzahl = Authority code
col-vendor = Case-management software
col-contact = Contact
col-lifecycle = Onboarding state
col-pilot = Pilot authority
col-confirmed = Confirmed
col-user-count = User accounts
col-count = Count
audit-title = Audit log
audit-lead = Every change is logged and cannot be altered. The entries are linked into a chain whose integrity you can verify.
audit-caption = Audit log entries ({ $total } in total)
audit-col-seq = No.
audit-empty = No entries found.
audit-filter-title = Filter the audit log
audit-filter-hint = For example user.invited
audit-verify-title = Verify the chain
audit-verify-text = Checks whether an entry was changed or removed afterwards.
audit-verify-submit = Verify chain
audit-chain-intact = The audit chain is intact.
audit-chain-broken = The audit chain is broken. Please inform platform operations immediately.
invitation-title = Accept invitation
invitation-lead = You were invited to { $authority } as { $role }. Set up your account now.
invitation-submit = Set up account

## Operator

tenants-title = Authorities
tenants-lead = All authorities in the catalog and the state of their onboarding.
tenants-filter-title = Filter authorities
tenants-caption = Authorities in the catalog
tenants-count = { $shown } of { $total } authorities
tenants-empty = No authority matches the filter.
back-to-tenants = Back to the list of authorities

## Ministry

ministry-title = Situation report
ministry-lead = The state of digitalization across all authorities.
ministry-privacy-note = This page shows aggregated figures only, never personal data.
ministry-abh-total = Foreigners' authorities
ministry-pilots = Pilot authorities
ministry-chart-abh-title = Foreigners' authorities per administrative region
ministry-chart-abh-desc = Bar chart: number of foreigners' authorities per administrative region, { $total } in total. The figures are also in the table below.
ministry-by-kind = Authorities by kind
ministry-by-lifecycle = Authorities by onboarding state

## Portal

portal-title = Applicant portal
portal-lead = Deal with the foreigners' authority and the naturalization authority online.
portal-register-link = Create account
portal-sign-in-link = Sign in
portal-what-title = What you can do here
portal-what-apply = apply, for example for a residence permit or for naturalization
portal-what-documents = upload documents
portal-what-status = follow the progress of your application
portal-what-appointment = book an appointment if you need to come in person
portal-privacy-title = Your data
portal-privacy-text = Only the authority responsible for you sees what you enter.
register-title = Create account
register-lead = With an account you can submit applications and read messages from your authority.
register-email-hint = We send a confirmation link to this address.
register-name-hint = This is how we address you.
register-language-hint = We write to you in this language.
register-submit = Create account
register-have-account = Do you already have an account?
portal-sign-in-title = Sign in
portal-sign-in-lead = Sign in with your email address and password.
portal-no-account = No account yet?
check-mail-title = Please check your inbox
check-mail-text = We have sent you an email with a link. Open the link to confirm your email address.
check-mail-spam = No email? Please also look in your spam folder. The link is valid for 24 hours.
confirmed-title = Email address confirmed
confirmed-text = Thank you. Your account is ready and you can sign in.
account-title = My account
account-lead = Your details in this portal.
account-applications = My applications
account-applications-empty = You have not submitted any applications yet.

## API

api-title = API reference
api-lead = The interface for case-management software and other systems. Every request needs an access token.
api-openapi-link = Download the OpenAPI description (JSON)
api-col-method = Method
api-col-path = Path
api-col-summary = Description
api-empty = No operations are described.

## Error pages

error-status = Error code { $status }
error-back = Back to the start page
error-not-found-detail = The address may be mistyped, or the page may have moved.
error-forbidden-detail = Your account is not allowed to open this page.
error-internal-detail = Please try again later. The error has been logged.
error-csrf-detail = Reload the page and send the form again.

## Messages (keys used by the HTTP layer)

error-credentials = The email address or password is not correct.
error-throttled = Too many attempts. Please wait a few minutes.
error-payload-too-large = The upload is too large
error-payload-too-large-detail = A file may be at most 10 MB. Please go back, make the file smaller (for example a PDF at a lower resolution) and upload it again.
error-required = Please fill in this field.
error-email-invalid = Please enter an email address in the format name@example.com.
error-password-short = The password must be at least { $min } characters long.
error-password-mismatch = The two passwords do not match.
error-totp-invalid = The code is not valid. Please enter the current code.
error-email-taken = There is already an account for this email address.
error-role-invalid = Please choose one of the roles offered.
error-csrf = The form has expired. Please send it again.
error-not-found = Page not found
error-forbidden = No access
error-internal = A technical error has occurred
error-invitation-invalid = The invitation is invalid, has expired or has already been accepted.
flash-invited = The invitation has been sent.
flash-invitation-accepted = Your account is set up. Please sign in now.
flash-user-disabled = The user account has been disabled.
flash-signed-out = You have signed out.
flash-mfa-enabled = Two-factor sign-in is set up.
flash-chain-intact = The audit chain is intact.
flash-chain-broken = The audit chain is broken. Please inform platform operations immediately.
flash-registered = Your account has been created. Please confirm your email address.
flash-confirmed = Your email address is confirmed.

## Mails (only details the recipient knows already)

mail-invitation-subject = Invitation to Amtsweg: { $authority }
mail-invitation-body =
    Hello,

    You have been invited to work with Amtsweg for { $authority }.

    Set up your account with this link:
    { $link }

    The link is valid for { $days ->
        [one] one day
       *[other] { $days } days
    }. If you did not expect this invitation, you can ignore this email.

    Amtsweg – Migration administration North Rhine-Westphalia
mail-confirm-subject = Please confirm your email address
mail-confirm-body =
    Hello,

    please confirm your email address for the Amtsweg applicant portal:
    { $link }

    If you did not create an account, you can ignore this email.

    Amtsweg – Migration administration North Rhine-Westphalia

## Values

role-platform_operator = Platform operations
role-ministry_analyst = Ministry (analysis)
role-tenant_admin = Authority administrator
role-clerk = Caseworker
role-approver = Approver
role-applicant = Applicant
kind-ministry = Ministry
kind-bezirksregierung = District government
kind-zab = Central foreigners' authority
kind-abh = Foreigners' authority
kind-einbuergerungsbehoerde = Naturalization authority
lifecycle-catalogued = catalogued
lifecycle-invited = invited
lifecycle-onboarding = onboarding
lifecycle-live = live
lifecycle-suspended = suspended
lifecycle-offboarded = offboarded
status-active = active
status-disabled = disabled
vendor-advis = ADVIS (Kommunix)
vendor-ok_visa = OK.VISA (AKDB)
vendor-other = other software
vendor-unknown = unknown

account-heading = Your account
account-sign-out-everywhere-hint = If you lost a device or forgot to sign out on another computer, end all your sessions here.
account-sign-out-everywhere = Sign out on all devices
users-role-label = Role of { $name }
users-role-change = Change
flash-role-changed = The role was changed.
