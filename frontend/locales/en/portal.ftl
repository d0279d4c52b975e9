# Applicant portal: services, forms, evidence, payment, status (issue 4).

nav-portal-applications = My applications
nav-intake-inbox = Application inbox

intake-choose = Please choose
intake-amount = € { $amount }
intake-fee-from = Fee: € { $amount }
intake-services-title = Services
intake-services-lead = Choose what you want to apply for. You can save at any time and continue later.
intake-place-label = Town or postal code
intake-place-hint = For example “Borken” or “46325”. This tells us which immigration office is responsible.
intake-place-find = Find the responsible office
intake-authority-title = Responsible office
intake-authority-found = Responsible: { $authority }.
intake-authority-several = Several offices serve this postal code. Please choose yours.
intake-start = Start application
intake-sign-in-first = To apply, please sign in or create an account.
intake-steps = Steps of the application
intake-step-of = Step { $page } of { $total }
intake-back = Back
intake-continue = Continue
intake-save-later = Save and continue later
intake-edit = Change “{ $name }”
intake-review-title = Check your answers
intake-review-lead = Please check your answers, upload the evidence and pay the fee. Then you can submit the application.
intake-quick-check-title = Result of the quick check
intake-quick-check-lead = The quick check is not binding. These points may be missing; you can still apply.
intake-evidence-title = Evidence
intake-evidence-kind = Type of evidence
intake-evidence-missing = still missing
intake-evidence-optional = optional
intake-evidence-present = uploaded
intake-file = File
intake-upload = Upload
intake-upload-hint = PDF, JPEG or PNG, at most { $count } MB per file.
intake-remove = Remove { $name }
intake-remove-short = Remove
intake-fee-title = Fee
intake-pay = Pay the fee
intake-submit-title = Submit
intake-submit-lead = When you submit, your application goes to the responsible office. You will receive a confirmation of receipt.
intake-submit = Submit application
intake-exemption-protection = You are exempt from the fee (protection status).
intake-exemption-minor = Minors pay half the fee.
intake-payment-pending = The payment is not complete yet.
intake-payment-paid = The fee is paid.
intake-payment-declined = The payment was declined. Please try again.
intake-payment-abandoned = The payment was cancelled. Please try again.
intake-reference = Reference
intake-submitted-at = Received on
intake-paid = Paid
intake-receipt-pdf = Confirmation of receipt (PDF)
intake-status-title = Status of your application
intake-state = Status
intake-state-submitted = Received
intake-state-submitted-text = Your application has reached the office.
intake-state-in_progress = Being processed
intake-state-in_progress-text = A caseworker is examining your application.
intake-state-awaiting_applicant = Your input needed
intake-state-awaiting_applicant-text = The office needs something from you. Please read your messages.
intake-state-decided = Decided
intake-state-decided-text = A decision has been made on your application.
intake-state-ready_for_pickup = Ready for pickup
intake-state-ready_for_pickup-text = Your document is ready to be picked up.
intake-state-closed = Closed
intake-state-closed-text = The matter is closed.
intake-messages-title = Messages
intake-message-from-authority = From the office
intake-message-from-you = From you
intake-message-from-applicant = From the applicant
intake-message-due = Please reply by { $name }.
intake-reply-label = Your reply
intake-reply-send = Send reply
intake-appointments-title = Appointments
intake-slot = Free appointment
intake-book = Book appointment
intake-cancel-appointment = Cancel appointment
intake-pickup-title = Pickup
intake-pickup-text = Your document is ready: { $name }. You will find the pickup code in your messages.
intake-applications-title = My applications
intake-new-application = New application
intake-drafts-title = Drafts
intake-drafts-empty = You have no drafts.
intake-submitted-title = Submitted applications
intake-submitted-empty = You have not submitted an application yet.
intake-inbox-title = Application inbox
intake-inbox-lead = Applications received online, with all answers and evidence.
intake-inbox-empty = No applications received.
intake-service = Service
intake-evidence-count = Evidence
intake-content-type = File type
intake-size = Size
intake-data-title = Answers
intake-message-label = Message to the applicant
intake-message-due-label = Due date (optional)
intake-date-hint = Format YYYY-MM-DD
intake-message-send = Send message
intake-pickup-location = Pickup location
intake-pickup-issue = Issue pickup code
intake-pickup-issued = Pickup code (shown only now):

intake-error-required = Please fill in this field.
intake-error-too-long = The text is too long.
intake-error-characters = The text contains characters that are not allowed.
intake-error-email = Please enter a valid e-mail address.
intake-error-date = Please enter a date in the format YYYY-MM-DD.
intake-error-date-past = The date must be in the past.
intake-error-date-future = The date must be in the future.
intake-error-option = Please choose one of the values offered.
intake-error-number = Please enter a whole number.
intake-error-range = The number is outside the allowed range.
intake-error-postal-code = A postal code has five digits.
intake-error-document-number = Please use 6 to 12 capital letters and digits without spaces.
intake-error-place-empty = Please enter your town or postal code.
intake-error-place-not-found = We do not know this place in North Rhine-Westphalia.
intake-error-service-inactive = This office does not offer the service online yet.
intake-error-file-type = Only PDF, JPEG and PNG files are allowed.
intake-error-file-size = The file is too large.
intake-error-file-count = You have reached the maximum number of files.
intake-error-file-empty = Please choose a file.
intake-error-evidence-kind = Please choose the type of evidence.
intake-problem-evidence = Some evidence is still missing.
intake-problem-unpaid = The fee has not been paid yet.

intake-flash-saved = Your draft is saved.
intake-flash-uploaded = The file is uploaded.
intake-flash-removed = The file is removed.
intake-flash-paid = Thank you, the fee is paid.
intake-flash-declined = The payment was declined.
intake-flash-abandoned = The payment was cancelled.
intake-flash-submitted = Your application has been received. A confirmation is on its way by e-mail.
intake-flash-message-sent = The message is sent.
intake-flash-booked = Your appointment is booked.
intake-flash-cancelled = Your appointment is cancelled.
intake-flash-slot-taken = This appointment was just taken. Please choose another one.

mail-intake-received-subject = Your application has been received
mail-intake-received-body = Hello,

    your application has reached the office. You will find its status and the confirmation of receipt in your Amtsweg account:

    { $link }

    This e-mail was created automatically.
mail-intake-message-subject = New message in your Amtsweg account
mail-intake-message-body = Hello,

    you have a new message in your Amtsweg account:

    { $link }

    This e-mail was created automatically.

pdf-receipt-title = Confirmation of receipt
pdf-receipt-note = This confirms that your application was received. It is not a decision.

sim-pay-title = Payment (simulator)
sim-pay-lead = This simulator stands in for the ePayBL payment service. Choose how the payment should end.
sim-pay-purpose = Purpose
sim-pay-pay = Pay
sim-pay-double = Pay (callback sent twice)
sim-pay-decline = Decline
sim-pay-abandon = Cancel

# Tenant settings: services and appointment resources (staff, issue 4).
nav-intake-settings = Services and appointments
intake-settings-title = Services and appointments
intake-settings-lead = Which services your authority offers online, with its own hints, contact and opening hours, and the resources for appointments.
intake-settings-services = Services of the state catalog
intake-settings-active = Offered online
intake-settings-own-texts = Own hints
intake-settings-action = Action
intake-settings-edit = Edit
intake-settings-hints = Own hints for applicants
intake-settings-hints-hint = Shown below the state's description; the statewide version stays the base.
intake-settings-contact = Contact
intake-settings-opening-hours = Opening hours (text)
intake-settings-save = Save
intake-settings-back = Back to services and appointments
intake-flash-settings-saved = The settings are saved.
intake-flash-resource-added = The resource is added.
intake-flash-resource-deactivated = The resource is taken out of service.
intake-resources-title = Resources for appointments
intake-resources-empty = No resources yet.
intake-resource-kind = Kind
intake-resource-kind-counter = Counter
intake-resource-kind-biometrics = Biometrics station
intake-resource-kind-interpreter = Interpreter
intake-resource-name = Name
intake-resource-languages = Languages
intake-resource-languages-hint = Two-letter language codes separated by commas, e.g. ar,fa (needed for interpreters).
intake-resource-hours = Opening hours
intake-resource-add = Add a resource
intake-resource-deactivate = Take out of service
intake-hours-opens = opens (HH:MM)
intake-hours-closes = closes (HH:MM)
intake-hours-slot = Appointment length in minutes
intake-hours-hint = Local time in Germany. Leave a day empty when closed.
intake-minutes = { $count } min
intake-weekday-1 = Monday
intake-weekday-2 = Tuesday
intake-weekday-3 = Wednesday
intake-weekday-4 = Thursday
intake-weekday-5 = Friday
intake-weekday-6 = Saturday
intake-weekday-7 = Sunday
intake-error-time = Please enter a time as HH:MM.
intake-error-closes-before-opens = The closing time must be after the opening time.
intake-error-slot-minutes = Please enter 5 to 240 minutes.
intake-error-languages = Please use two-letter language codes separated by commas, e.g. ar,fa.
intake-day-title = Day view
intake-day-lead = Who comes when, for one resource on one day (local time).
intake-day-date = Date (YYYY-MM-DD)
intake-day-show = Show
intake-day-empty = No appointments are booked on this day.
intake-day-time = Time
intake-day-person = Visitor

# Replies with documents (issue 4).
intake-reply-file = Attach a document (optional)
intake-reply-file-hint = PDF, JPEG or PNG, at most 10 MB.
intake-reply-attachments = Attached documents:
intake-replies = Replies
intake-new-replies = { $count } new
mail-intake-reply-subject = New reply in the application inbox
mail-intake-reply-body = A reply to a message from your authority has arrived. After signing in you find it here: { $link }
mail-intake-team-reply-subject = New reply on an application nobody handles yet
mail-intake-team-reply-body = An applicant replied on an application nobody at your authority has written to yet. We report further replies on this application only after someone has opened it. After signing in you find it here: { $link }

# Appointment reminders (issue 4).
mail-intake-reminder-subject = Reminder of your appointment
mail-intake-reminder-body = You have an appointment at your authority within the next 24 hours. After signing in you see the time and place here: { $link }

# Self-service terminals (kiosk mode)
kiosk-name = Self-service
kiosk-nav = Terminal actions
kiosk-start = Back to start
kiosk-idle-hint = For your protection: without input you are signed out after { $minutes } minutes, at { $time }. Every input extends the time.
kiosk-start-title = Self-service
kiosk-start-lead = Here you apply to { $authority }, upload documents and pay the fee.
kiosk-privacy-title = Your data on this device
kiosk-privacy-text = This device keeps nothing of yours. Sign out when you are done; without input this happens by itself after a short time. A draft stays in your account, and you can continue it later at home.
kiosk-flash-timed-out = The session ended because nothing was entered for a while. Nothing of yours has remained on this device.
kiosk-warning-title = Are you still there?
kiosk-warning-text = Without input this device returns to the start in { $seconds } seconds and signs you out. Your draft stays in your account.
kiosk-warning-continue = Continue
kiosk-out-of-service-title = Terminal out of service
kiosk-out-of-service-lead = This device is no longer a self-service terminal. Please ask the staff. You can also apply at any time in the online portal.
kiosk-out-of-service-portal = To the online portal
kiosk-terminals-title = Self-service terminals
kiosk-terminals-lead = A device at your authority becomes a terminal when its address is opened there once. The address is shown only once; whoever knows it can turn a device into a terminal.
kiosk-terminals-empty = No terminals set up yet.
kiosk-terminal-name = Name
kiosk-terminal-name-hint = How your team recognises the device, e.g. “Foyer, left”.
kiosk-terminal-registered = Set up
kiosk-terminal-state = State
kiosk-terminal-active = in service
kiosk-terminal-revoked = out of service
kiosk-terminal-revoke = Take out of service
kiosk-terminal-add = Set up terminal
kiosk-terminal-created = The terminal is set up. Open this address once in the device’s browser; it will not be shown again:
kiosk-flash-terminal-revoked = The terminal is out of service. Its address no longer works.
