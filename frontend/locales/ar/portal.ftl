# Applicant portal: services, forms, evidence, payment, status (issue 4).

nav-portal-applications = طلباتي
nav-intake-inbox = صندوق الطلبات الواردة

intake-choose = يرجى الاختيار
intake-amount = { $amount } يورو
intake-fee-from = الرسوم: { $amount } يورو
intake-services-title = الخدمات
intake-services-lead = اختر ما تريد التقدّم بطلب له. يمكنك الحفظ في أي وقت والمتابعة لاحقًا.
intake-place-label = مكان السكن أو الرمز البريدي
intake-place-hint = مثلًا „Borken“ أو „46325“. بذلك نعرف دائرة الأجانب المختصة.
intake-place-find = البحث عن الجهة المختصة
intake-authority-title = الجهة المختصة
intake-authority-found = الجهة المختصة: { $authority }.
intake-authority-several = يخدم هذا الرمز البريدي أكثر من جهة. يرجى اختيار جهتك.
intake-start = بدء الطلب
intake-sign-in-first = لتقديم طلب، يرجى تسجيل الدخول أو إنشاء حساب.
intake-steps = خطوات الطلب
intake-step-of = الخطوة { $page } من { $total }
intake-back = رجوع
intake-continue = متابعة
intake-save-later = الحفظ والمتابعة لاحقًا
intake-edit = تعديل „{ $name }“
intake-review-title = مراجعة البيانات
intake-review-lead = يرجى مراجعة بياناتك ورفع المستندات ودفع الرسوم. بعد ذلك يمكنك إرسال الطلب.
intake-quick-check-title = نتيجة الفحص السريع
intake-quick-check-lead = الفحص السريع غير ملزم. قد تكون هذه النقاط ناقصة؛ ومع ذلك يمكنك تقديم الطلب.
intake-evidence-title = المستندات
intake-evidence-kind = نوع المستند
intake-evidence-missing = لم يُرفع بعد
intake-evidence-optional = اختياري
intake-evidence-present = تم الرفع
intake-file = الملف
intake-upload = رفع
intake-upload-hint = ملف PDF أو JPEG أو PNG، بحد أقصى { $count } ميغابايت لكل ملف.
intake-remove = حذف { $name }
intake-remove-short = حذف
intake-fee-title = الرسوم
intake-pay = دفع الرسوم
intake-submit-title = الإرسال
intake-submit-lead = عند الإرسال يصل طلبك إلى الجهة المختصة، وتتلقى إشعارًا بالاستلام.
intake-submit = إرسال الطلب
intake-exemption-protection = أنت معفى من الرسوم (وضع الحماية).
intake-exemption-minor = يدفع القاصرون نصف الرسوم.
intake-payment-pending = لم تكتمل عملية الدفع بعد.
intake-payment-paid = تم دفع الرسوم.
intake-payment-declined = رُفضت عملية الدفع. يرجى المحاولة مرة أخرى.
intake-payment-abandoned = أُلغيت عملية الدفع. يرجى المحاولة مرة أخرى.
intake-reference = رقم الملف
intake-submitted-at = تاريخ الاستلام
intake-paid = المدفوع
intake-receipt-pdf = إشعار الاستلام (PDF)
intake-status-title = حالة طلبك
intake-state = الحالة
intake-state-submitted = تم الاستلام
intake-state-submitted-text = وصل طلبك إلى الجهة المختصة.
intake-state-in_progress = قيد المعالجة
intake-state-in_progress-text = يقوم موظف بدراسة طلبك.
intake-state-awaiting_applicant = مطلوب منك إجراء
intake-state-awaiting_applicant-text = تحتاج الجهة إلى شيء منك. يرجى قراءة الرسائل.
intake-state-decided = صدر القرار
intake-state-decided-text = صدر قرار بشأن طلبك.
intake-state-ready_for_pickup = جاهز للاستلام
intake-state-ready_for_pickup-text = مستندك جاهز للاستلام.
intake-state-closed = مغلق
intake-state-closed-text = أُغلق الملف.
intake-messages-title = الرسائل
intake-message-from-authority = من الجهة
intake-message-from-you = منك
intake-message-from-applicant = من مقدّم الطلب
intake-message-due = يرجى الرد قبل { $name }.
intake-reply-label = ردّك
intake-reply-send = إرسال الرد
intake-appointments-title = المواعيد
intake-slot = موعد متاح
intake-book = حجز موعد
intake-cancel-appointment = إلغاء الموعد
intake-pickup-title = الاستلام
intake-pickup-text = مستندك جاهز: { $name }. تجد رمز الاستلام في رسائلك.
intake-applications-title = طلباتي
intake-new-application = تقديم طلب جديد
intake-drafts-title = المسودات
intake-drafts-empty = ليست لديك مسودات.
intake-submitted-title = الطلبات المرسلة
intake-submitted-empty = لم ترسل أي طلب بعد.
intake-inbox-title = صندوق الطلبات الواردة
intake-inbox-lead = الطلبات الواردة عبر الإنترنت مع جميع البيانات والمستندات.
intake-inbox-empty = لا توجد طلبات واردة.
intake-service = الخدمة
intake-evidence-count = المستندات
intake-content-type = نوع الملف
intake-size = الحجم
intake-data-title = البيانات
intake-message-label = رسالة إلى مقدّم الطلب
intake-message-due-label = المهلة (اختياري)
intake-date-hint = الصيغة YYYY-MM-DD
intake-message-send = إرسال الرسالة
intake-pickup-location = مكان الاستلام
intake-pickup-issue = إصدار رمز الاستلام
intake-pickup-issued = رمز الاستلام (يظهر الآن فقط):

intake-error-required = يرجى ملء هذا الحقل.
intake-error-too-long = النص طويل جدًا.
intake-error-characters = يحتوي النص على أحرف غير مسموح بها.
intake-error-email = يرجى إدخال عنوان بريد إلكتروني صالح.
intake-error-date = يرجى إدخال التاريخ بالصيغة YYYY-MM-DD.
intake-error-date-past = يجب أن يكون التاريخ في الماضي.
intake-error-date-future = يجب أن يكون التاريخ في المستقبل.
intake-error-option = يرجى اختيار إحدى القيم المعروضة.
intake-error-number = يرجى إدخال عدد صحيح.
intake-error-range = العدد خارج النطاق المسموح.
intake-error-postal-code = يتكون الرمز البريدي من خمسة أرقام.
intake-error-document-number = يرجى استخدام 6 إلى 12 حرفًا كبيرًا ورقمًا بدون مسافات.
intake-error-place-empty = يرجى إدخال مكان سكنك أو الرمز البريدي.
intake-error-place-not-found = لا نعرف هذا المكان في ولاية شمال الراين وستفاليا.
intake-error-service-inactive = لا تقدّم هذه الجهة الخدمة عبر الإنترنت بعد.
intake-error-file-type = يُسمح فقط بملفات PDF وJPEG وPNG.
intake-error-file-size = الملف كبير جدًا.
intake-error-file-count = وصلت إلى الحد الأقصى لعدد الملفات.
intake-error-file-empty = يرجى اختيار ملف.
intake-error-evidence-kind = يرجى اختيار نوع المستند.
intake-problem-evidence = ما زالت بعض المستندات ناقصة.
intake-problem-unpaid = لم تُدفع الرسوم بعد.

intake-flash-saved = تم حفظ مسودتك.
intake-flash-uploaded = تم رفع الملف.
intake-flash-removed = تم حذف الملف.
intake-flash-paid = شكرًا لك، تم دفع الرسوم.
intake-flash-declined = رُفضت عملية الدفع.
intake-flash-abandoned = أُلغيت عملية الدفع.
intake-flash-submitted = تم استلام طلبك. سيصلك تأكيد عبر البريد الإلكتروني.
intake-flash-message-sent = تم إرسال الرسالة.
intake-flash-booked = تم حجز موعدك.
intake-flash-cancelled = تم إلغاء موعدك.
intake-flash-slot-taken = حُجز هذا الموعد للتو. يرجى اختيار موعد آخر.

mail-intake-received-subject = تم استلام طلبك
mail-intake-received-body = مرحبًا،

    وصل طلبك إلى الجهة المختصة. تجد حالته وإشعار الاستلام في حسابك على Amtsweg:

    { $link }

    أُنشئت هذه الرسالة تلقائيًا.
mail-intake-message-subject = رسالة جديدة في حسابك على Amtsweg
mail-intake-message-body = مرحبًا،

    لديك رسالة جديدة في حسابك على Amtsweg:

    { $link }

    أُنشئت هذه الرسالة تلقائيًا.

pdf-receipt-title = إشعار الاستلام
pdf-receipt-note = يثبت هذا الإشعار استلام طلبك، وهو ليس قرارًا.

sim-pay-title = الدفع (محاكاة)
sim-pay-lead = تحاكي هذه الصفحة خدمة الدفع ePayBL. اختر كيف تنتهي عملية الدفع.
sim-pay-purpose = الغرض من الدفع
sim-pay-pay = دفع
sim-pay-double = دفع (إشعار مكرر)
sim-pay-decline = رفض
sim-pay-abandon = إلغاء

# Tenant settings: services and appointment resources (staff, issue 4).
nav-intake-settings = الخدمات والمواعيد
intake-settings-title = الخدمات والمواعيد
intake-settings-lead = الخدمات التي تقدمها سلطتكم عبر الإنترنت، مع ملاحظاتها الخاصة وبيانات الاتصال ومواعيد العمل، وموارد المواعيد.
intake-settings-services = خدمات كتالوج الولاية
intake-settings-active = متاحة عبر الإنترنت
intake-settings-own-texts = ملاحظات خاصة
intake-settings-action = إجراء
intake-settings-edit = تعديل
intake-settings-hints = ملاحظات خاصة لمقدمي الطلبات
intake-settings-hints-hint = تظهر أسفل وصف الولاية؛ وتبقى النسخة الموحدة على مستوى الولاية هي الأساس.
intake-settings-contact = الاتصال
intake-settings-opening-hours = مواعيد العمل (نص)
intake-settings-save = حفظ
intake-settings-back = العودة إلى الخدمات والمواعيد
intake-flash-settings-saved = تم حفظ الإعدادات.
intake-flash-resource-added = تمت إضافة المورد.
intake-flash-resource-deactivated = تم إيقاف المورد عن العمل.
intake-resources-title = موارد المواعيد
intake-resources-empty = لا توجد موارد بعد.
intake-resource-kind = النوع
intake-resource-kind-counter = شباك
intake-resource-kind-biometrics = محطة القياسات الحيوية
intake-resource-kind-interpreter = مترجم/ة
intake-resource-name = الاسم
intake-resource-languages = اللغات
intake-resource-languages-hint = رموز اللغات المكونة من حرفين مفصولة بفواصل، مثل ar,fa (مطلوبة للمترجمين).
intake-resource-hours = مواعيد العمل
intake-resource-add = إضافة مورد
intake-resource-deactivate = إيقاف عن العمل
intake-hours-opens = يفتح (HH:MM)
intake-hours-closes = يغلق (HH:MM)
intake-hours-slot = مدة الموعد بالدقائق
intake-hours-hint = بالتوقيت المحلي في ألمانيا. اترك اليوم فارغًا إذا كان مغلقًا.
intake-minutes = { $count } دقيقة
intake-weekday-1 = الاثنين
intake-weekday-2 = الثلاثاء
intake-weekday-3 = الأربعاء
intake-weekday-4 = الخميس
intake-weekday-5 = الجمعة
intake-weekday-6 = السبت
intake-weekday-7 = الأحد
intake-error-time = يرجى إدخال الوقت بالصيغة HH:MM.
intake-error-closes-before-opens = يجب أن يكون وقت الإغلاق بعد وقت الفتح.
intake-error-slot-minutes = يرجى إدخال من 5 إلى 240 دقيقة.
intake-error-languages = يرجى استخدام رموز لغات من حرفين مفصولة بفواصل، مثل ar,fa.
intake-day-title = عرض اليوم
intake-day-lead = من يأتي ومتى، لمورد واحد في يوم واحد (بالتوقيت المحلي).
intake-day-date = التاريخ (YYYY-MM-DD)
intake-day-show = عرض
intake-day-empty = لا توجد مواعيد محجوزة في هذا اليوم.
intake-day-time = الوقت
intake-day-person = الشخص

# Replies with documents (issue 4).
intake-reply-file = إرفاق مستند (اختياري)
intake-reply-file-hint = ملف PDF أو JPEG أو PNG، بحد أقصى 10 ميغابايت.
intake-reply-attachments = المستندات المرفقة:
intake-replies = الردود
intake-new-replies = { $count } جديد
mail-intake-reply-subject = رد جديد في صندوق الطلبات الوارد
mail-intake-reply-body = وصل رد على رسالة من سلطتكم. ستجدونه بعد تسجيل الدخول هنا: { $link }
mail-intake-team-reply-subject = رد جديد على طلب لم يعالجه أحد بعد
mail-intake-team-reply-body = ردّ مقدّم طلب على طلب لم يكتب إليه أحد من سلطتكم بعد. لن نبلغكم بالردود التالية على هذا الطلب إلا بعد أن يفتحه أحدكم. ستجدونه بعد تسجيل الدخول هنا: { $link }

# Appointment reminders (issue 4).
mail-intake-reminder-subject = تذكير بموعدك
mail-intake-reminder-body = لديك موعد لدى سلطتك خلال الساعات الأربع والعشرين القادمة. يمكنك رؤية الوقت والمكان بعد تسجيل الدخول هنا: { $link }

# Self-service terminals (kiosk mode)
kiosk-name = الخدمة الذاتية
kiosk-nav = إجراءات الجهاز
kiosk-start = العودة إلى البداية
kiosk-idle-hint = لحمايتكم: إذا لم تُدخلوا شيئًا يتم تسجيل خروجكم بعد { $minutes } دقائق، أي في الساعة { $time }. كل إدخال يمدّد هذا الوقت.
kiosk-start-title = الخدمة الذاتية
kiosk-start-lead = هنا تقدّمون طلباتكم إلى { $authority }، وترفعون المستندات وتدفعون الرسوم.
kiosk-privacy-title = بياناتكم على هذا الجهاز
kiosk-privacy-text = لا يحتفظ هذا الجهاز بأي شيء من بياناتكم. سجّلوا الخروج عند الانتهاء؛ وإذا لم تُدخلوا شيئًا يحدث ذلك تلقائيًا بعد وقت قصير. تبقى المسودة في حسابكم ويمكنكم متابعتها لاحقًا من المنزل.
kiosk-flash-timed-out = انتهت الجلسة لأنه لم يُدخل شيء لفترة. لم يبقَ أي شيء من بياناتكم على هذا الجهاز.
kiosk-warning-title = هل ما زلتم هنا؟
kiosk-warning-text = إذا لم تُدخلوا شيئًا يعود هذا الجهاز إلى البداية بعد { $seconds } ثانية ويسجّل خروجكم. تبقى مسودتكم في حسابكم.
kiosk-warning-continue = متابعة العمل
kiosk-out-of-service-title = الجهاز خارج الخدمة
kiosk-out-of-service-lead = لم يعد هذا الجهاز جهاز خدمة ذاتية. يُرجى التوجّه إلى الموظفين. يمكنكم أيضًا تقديم طلبكم في أي وقت عبر البوابة الإلكترونية.
kiosk-out-of-service-portal = إلى البوابة الإلكترونية
kiosk-terminals-title = أجهزة الخدمة الذاتية
kiosk-terminals-lead = يصبح الجهاز في سلطتكم جهاز خدمة ذاتية عندما يُفتح عنوانه عليه مرة واحدة. يُعرض العنوان مرة واحدة فقط؛ ومن يعرفه يستطيع تحويل جهاز إلى جهاز خدمة ذاتية.
kiosk-terminals-empty = لم يتم إعداد أي جهاز بعد.
kiosk-terminal-name = التسمية
kiosk-terminal-name-hint = ما يتعرّف به فريقكم على الجهاز، مثل «البهو، يسار».
kiosk-terminal-registered = تاريخ الإعداد
kiosk-terminal-state = الحالة
kiosk-terminal-active = قيد التشغيل
kiosk-terminal-revoked = خارج الخدمة
kiosk-terminal-revoke = إخراج من الخدمة
kiosk-terminal-add = إعداد جهاز
kiosk-terminal-created = تم إعداد الجهاز. افتحوا هذا العنوان مرة واحدة في متصفح الجهاز؛ لن يُعرض مرة أخرى:
kiosk-flash-terminal-revoked = الجهاز خارج الخدمة. لم يعد عنوانه يعمل.
