# Amtsweg – النصوص العربية.

## الإطار

app-name = Amtsweg
app-tagline = إدارة الهجرة في ولاية شمال الراين-وستفاليا
skip-to-main = الانتقال إلى المحتوى الرئيسي
nav-main = التنقل الرئيسي
nav-language = اختيار اللغة
nav-workspace-home = نظرة عامة
nav-users = المستخدمون
nav-audit = سجل التدقيق
nav-operator-tenants = الجهات الإدارية
nav-operator-audit = سجل تدقيق المنصة
nav-ministry = تقرير الوضع
nav-portal-account = حسابي
signed-in-as = تم تسجيل الدخول باسم
sign-out = تسجيل الخروج
footer-imprint = بيانات الناشر
footer-privacy = حماية البيانات
footer-accessibility = إمكانية الوصول
footer-operator = خدمة مقدمة من ولاية شمال الراين-وستفاليا.
required = حقل إلزامي
error-summary-title = يرجى التحقق من بياناتك
error-prefix = خطأ:
yes = نعم
no = لا
select-choose = يرجى الاختيار
filter-all = الكل
filter-submit = تصفية
filter-reset = إعادة ضبط التصفية
pagination-label = الصفحات
pagination-prev = الصفحة السابقة
pagination-next = الصفحة التالية
pagination-position = الصفحة { $page } من { $count }

## الصفحة الرئيسية

home-title = مرحبًا بكم في Amtsweg
home-lead = ‏Amtsweg هي المنصة الرقمية المشتركة لدوائر الأجانب ودوائر التجنيس في ولاية شمال الراين-وستفاليا.
home-portal-title = لمقدمي الطلبات
home-portal-text = قدّم طلباتك عبر الإنترنت، وارفع مستنداتك، وتابع حالة طلبك – بلغتك.
home-portal-link = الانتقال إلى بوابة الطلبات
home-staff-title = لموظفي الجهات الإدارية
home-staff-text = سجّل الدخول بحسابك الوظيفي للعمل مع جهتك الإدارية.
home-staff-link = تسجيل دخول الموظفين
home-about-title = حول Amtsweg
home-about-text = تدير الولاية منصة Amtsweg مركزيًا. تعمل كل جهة إدارية في مساحة خاصة بها ومعزولة، ولا ترى إلا بياناتها.

## تسجيل الدخول

field-email = عنوان البريد الإلكتروني
field-password = كلمة المرور
field-password-new = كلمة المرور الجديدة
field-password-confirm = تكرار كلمة المرور
field-display-name = الاسم
field-totp-code = رمز الأمان
field-role = الدور
field-language = اللغة
field-action = الإجراء
field-kind = نوع الجهة الإدارية
field-rb = المنطقة الإدارية
field-query = البحث بالاسم أو الاختصار أو رمز البلدية
password-hint = { $min } حرفًا على الأقل. الجملة الطويلة أسهل في التذكر وأكثر أمانًا من كلمة قصيرة معقدة.
sign-in-title = تسجيل الدخول
sign-in-lead = سجّل الدخول بحسابك الوظيفي.
sign-in-submit = تسجيل الدخول
totp-title = أدخل رمز الأمان
totp-lead = حسابك محمي بعامل تحقق ثانٍ.
totp-hint = الرمز المكوّن من ستة أرقام من تطبيق المصادقة، أو أحد رموز الاسترداد الخاصة بك.
totp-submit = تأكيد
mfa-title = إعداد تسجيل الدخول بعاملين
mfa-lead = لحماية البيانات التي تعمل بها، تحتاج إلى رمز من تطبيق مصادقة إضافة إلى كلمة المرور.
mfa-step-app-title = جهّز التطبيق
mfa-step-app = افتح تطبيق مصادقة على هاتف العمل، مثل التطبيق الذي اعتمده قسم تقنية المعلومات لديك.
mfa-step-scan-title = أضف الحساب
mfa-step-scan = امسح رمز الاستجابة السريعة بالتطبيق.
mfa-qr-label = رمز الاستجابة السريعة لإعداد تطبيق المصادقة
mfa-manual = إذا تعذّر عليك مسح الرمز، فأدخل المفتاح يدويًا.
mfa-secret-label = المفتاح
mfa-step-confirm-title = أكّد الرمز
mfa-step-confirm = أدخل الرمز المكوّن من ستة أرقام الذي يعرضه التطبيق الآن.
mfa-submit = إنهاء الإعداد
recovery-title = رموز الاسترداد الخاصة بك
recovery-lead = استخدم هذه الرموز لتسجيل الدخول إذا لم تتمكن من الوصول إلى تطبيق المصادقة. كل رمز صالح لمرة واحدة فقط.
recovery-warning = تُعرض الرموز الآن فقط. احفظها في مكان آمن بعيدًا عن كلمة المرور، مثلًا مطبوعة في خزانة مقفلة.
recovery-list-label = رموز الاسترداد
recovery-continue = المتابعة إلى النظرة العامة

## مساحة العمل

workspace-lead = مساحة العمل الخاصة بجهتك الإدارية.
workspace-tenant-heading = جهتك الإدارية
workspace-tasks = الإدارة
workspace-link-users = إدارة المستخدمين والدعوات
workspace-link-audit = عرض سجل التدقيق
users-title = المستخدمون
users-heading = حسابات المستخدمين
users-caption = حسابات المستخدمين في هذه الجهة
users-empty = لا توجد حسابات مستخدمين بعد.
users-disable = تعطيل
users-disable-label = تعطيل { $name }
mfa-on = مُفعّل
mfa-off = غير مُفعّل
invitations-heading = الدعوات
invitations-caption = الدعوات المرسلة
invitations-empty = لا توجد دعوات مفتوحة.
invitation-accepted = مقبولة
invitation-pending = مفتوحة
invite-title = دعوة شخص
invite-lead = يتلقى الشخص رسالة بريد إلكتروني برابط لإعداد حسابه.
invite-submit = إرسال الدعوة
col-name = الاسم
col-email = عنوان البريد الإلكتروني
col-role = الدور
col-status = الحالة
col-mfa = تسجيل الدخول بعاملين
col-actions = الإجراءات
col-created = تاريخ الدعوة
col-expires = صالحة حتى
col-state = الوضع
col-at = الوقت
col-actor = المنفّذ
col-action = الإجراء
col-object = العنصر
col-source = المصدر
col-id = المعرّف
col-slug = الاختصار
col-kind = النوع
col-rb = المنطقة الإدارية
col-ags = رمز البلدية (AGS)
col-kreisschluessel = رمز المقاطعة
col-abh-kennung = معرّف دائرة الأجانب
col-behoerdenkennzahl = رقم الجهة الإدارية
col-vendor = برنامج إدارة الملفات
col-contact = جهة الاتصال
col-lifecycle = حالة الربط
col-pilot = جهة تجريبية
col-confirmed = مؤكَّد
col-user-count = حسابات المستخدمين
col-count = العدد
audit-title = سجل التدقيق
audit-lead = يُسجَّل كل تغيير بشكل لا يمكن تعديله. ترتبط الإدخالات في سلسلة يمكنك التحقق من سلامتها.
audit-caption = إدخالات السجل ({ $total } إجمالًا)
audit-col-seq = رقم
audit-empty = لم يتم العثور على إدخالات.
audit-filter-title = تصفية سجل التدقيق
audit-filter-hint = مثلًا user.invited
audit-verify-title = التحقق من السلسلة
audit-verify-text = يتحقق مما إذا كان قد تم تغيير أي إدخال أو حذفه لاحقًا.
audit-verify-submit = التحقق من السلسلة
audit-chain-intact = سلسلة السجل سليمة.
audit-chain-broken = سلسلة السجل منقطعة. يرجى إبلاغ فريق تشغيل المنصة فورًا.
invitation-title = قبول الدعوة
invitation-lead = تمت دعوتك إلى { $authority } بدور { $role }. أنشئ حسابك الآن.
invitation-submit = إعداد الحساب

## التشغيل

tenants-title = الجهات الإدارية
tenants-lead = جميع الجهات الإدارية في الفهرس وحالة ربطها.
tenants-filter-title = تصفية الجهات الإدارية
tenants-caption = الجهات الإدارية في الفهرس
tenants-count = { $shown } من { $total } جهة إدارية
tenants-empty = لا توجد جهة إدارية تطابق التصفية.
back-to-tenants = العودة إلى قائمة الجهات الإدارية

## الوزارة

ministry-title = تقرير الوضع
ministry-lead = حالة التحول الرقمي في جميع الجهات الإدارية.
ministry-privacy-note = تعرض هذه الصفحة أرقامًا مجمّعة فقط، ولا تعرض أبدًا بيانات شخصية.
ministry-abh-total = دوائر الأجانب
ministry-pilots = الجهات التجريبية
ministry-chart-abh-title = دوائر الأجانب حسب المنطقة الإدارية
ministry-chart-abh-desc = مخطط أعمدة: عدد دوائر الأجانب في كل منطقة إدارية، { $total } إجمالًا. الأرقام موجودة أيضًا في الجدول أدناه.
ministry-by-kind = الجهات الإدارية حسب النوع
ministry-by-lifecycle = الجهات الإدارية حسب حالة الربط

## البوابة

portal-title = بوابة الطلبات
portal-lead = أنجز معاملاتك لدى دائرة الأجانب ودائرة التجنيس عبر الإنترنت.
portal-register-link = إنشاء حساب
portal-sign-in-link = تسجيل الدخول
portal-what-title = ما يمكنك القيام به هنا
portal-what-apply = تقديم الطلبات، مثلًا للحصول على تصريح إقامة أو للتجنيس
portal-what-documents = رفع المستندات
portal-what-status = متابعة حالة طلبك
portal-what-appointment = حجز موعد إذا كان عليك الحضور شخصيًا
portal-privacy-title = بياناتك
portal-privacy-text = لا يطّلع على بياناتك إلا الجهة الإدارية المختصة بك.
register-title = إنشاء حساب
register-lead = باستخدام الحساب يمكنك تقديم الطلبات وقراءة رسائل جهتك الإدارية.
register-email-hint = سنرسل رابط التأكيد إلى هذا العنوان.
register-name-hint = بهذا الاسم سنخاطبك.
register-language-hint = سنراسلك بهذه اللغة.
register-submit = إنشاء حساب
register-have-account = هل لديك حساب بالفعل؟
portal-sign-in-title = تسجيل الدخول
portal-sign-in-lead = سجّل الدخول بعنوان بريدك الإلكتروني وكلمة المرور.
portal-no-account = ليس لديك حساب بعد؟
check-mail-title = يرجى التحقق من بريدك الوارد
check-mail-text = أرسلنا إليك رسالة بريد إلكتروني تحتوي على رابط. افتح الرابط لتأكيد عنوان بريدك الإلكتروني.
check-mail-spam = لم تصلك الرسالة؟ تحقّق أيضًا من مجلد الرسائل غير المرغوب فيها. الرابط صالح لمدة 24 ساعة.
confirmed-title = تم تأكيد عنوان البريد الإلكتروني
confirmed-text = شكرًا لك. حسابك جاهز الآن ويمكنك تسجيل الدخول.
account-title = حسابي
account-lead = بياناتك في هذه البوابة.
account-applications = طلباتي
account-applications-empty = لم تقدّم أي طلبات بعد.

## واجهة البرمجة

api-title = مرجع واجهة البرمجة
api-lead = الواجهة لبرامج إدارة الملفات والأنظمة الأخرى. يحتاج كل طلب إلى رمز وصول.
api-openapi-link = تنزيل وصف OpenAPI ‏(JSON)
api-col-method = الطريقة
api-col-path = المسار
api-col-summary = الوصف
api-empty = لا توجد عمليات موصوفة.

## صفحات الخطأ

error-status = رمز الخطأ { $status }
error-back = العودة إلى الصفحة الرئيسية
error-not-found-detail = ربما كُتب العنوان بشكل خاطئ أو نُقلت الصفحة.
error-forbidden-detail = لا يملك حسابك صلاحية فتح هذه الصفحة.
error-internal-detail = يرجى المحاولة مرة أخرى لاحقًا. تم تسجيل الخطأ.
error-csrf-detail = أعد تحميل الصفحة وأرسل النموذج مرة أخرى.

## الرسائل

error-credentials = عنوان البريد الإلكتروني أو كلمة المرور غير صحيحة.
error-throttled = محاولات كثيرة جدًا. يرجى الانتظار بضع دقائق.
error-payload-too-large = الملف المرسل كبير جدًا
error-payload-too-large-detail = يجب ألا يتجاوز حجم الملف 10 ميغابايت. يرجى الرجوع وتصغير الملف (مثلًا ملف PDF بدقة أقل) ثم رفعه مرة أخرى.
error-required = يرجى ملء هذا الحقل.
error-email-invalid = يرجى إدخال عنوان بريد إلكتروني بالصيغة name@example.com.
error-password-short = يجب أن تتكون كلمة المرور من { $min } حرفًا على الأقل.
error-password-mismatch = كلمتا المرور غير متطابقتين.
error-totp-invalid = الرمز غير صالح. يرجى إدخال الرمز الحالي.
error-email-taken = يوجد حساب بالفعل لعنوان البريد الإلكتروني هذا.
error-role-invalid = يرجى اختيار أحد الأدوار المعروضة.
error-csrf = انتهت صلاحية النموذج. يرجى إرساله مرة أخرى.
error-not-found = الصفحة غير موجودة
error-forbidden = لا توجد صلاحية وصول
error-internal = حدث خطأ تقني
error-invitation-invalid = الدعوة غير صالحة أو منتهية الصلاحية أو تم قبولها مسبقًا.
flash-invited = تم إرسال الدعوة.
flash-invitation-accepted = تم إعداد حسابك. يرجى تسجيل الدخول الآن.
flash-user-disabled = تم تعطيل حساب المستخدم.
flash-signed-out = لقد سجّلت الخروج.
flash-mfa-enabled = تم إعداد تسجيل الدخول بعاملين.
flash-chain-intact = سلسلة السجل سليمة.
flash-chain-broken = سلسلة السجل منقطعة. يرجى إبلاغ فريق تشغيل المنصة فورًا.
flash-registered = تم إنشاء حسابك. يرجى تأكيد عنوان بريدك الإلكتروني.
flash-confirmed = تم تأكيد عنوان بريدك الإلكتروني.

## رسائل البريد الإلكتروني

mail-invitation-subject = دعوة إلى Amtsweg: { $authority }
mail-invitation-body =
    مرحبًا،

    تمت دعوتك للعمل مع Amtsweg لصالح { $authority }.

    أنشئ حسابك عبر هذا الرابط:
    { $link }

    الرابط صالح لمدة { $days ->
        [one] يوم واحد
        [two] يومين
        [few] { $days } أيام
       *[other] { $days } يومًا
    }. إذا لم تكن تتوقع هذه الدعوة، يمكنك تجاهل هذه الرسالة.

    Amtsweg – إدارة الهجرة في ولاية شمال الراين-وستفاليا
mail-confirm-subject = يرجى تأكيد عنوان بريدك الإلكتروني
mail-confirm-body =
    مرحبًا،

    يرجى تأكيد عنوان بريدك الإلكتروني لبوابة الطلبات Amtsweg:
    { $link }

    إذا لم تقم بإنشاء حساب، يمكنك تجاهل هذه الرسالة.

    Amtsweg – إدارة الهجرة في ولاية شمال الراين-وستفاليا

## القيم

role-platform_operator = تشغيل المنصة
role-ministry_analyst = الوزارة (التحليل)
role-tenant_admin = مسؤول الجهة الإدارية
role-clerk = موظف معالجة الملفات
role-approver = صاحب صلاحية التوقيع
role-applicant = مقدم الطلب
kind-ministry = وزارة
kind-bezirksregierung = حكومة المنطقة الإدارية
kind-zab = دائرة الأجانب المركزية
kind-abh = دائرة الأجانب
kind-einbuergerungsbehoerde = دائرة التجنيس
lifecycle-catalogued = في الفهرس
lifecycle-invited = مدعوّة
lifecycle-onboarding = قيد الربط
lifecycle-live = قيد التشغيل
lifecycle-suspended = معلّقة
lifecycle-offboarded = مفصولة
status-active = نشط
status-disabled = معطّل
vendor-advis = ADVIS ‏(Kommunix)
vendor-ok_visa = OK.VISA ‏(AKDB)
vendor-other = برنامج آخر
vendor-unknown = غير معروف

account-heading = حسابك
account-sign-out-everywhere-hint = إذا فقدت جهازًا أو نسيت تسجيل الخروج على حاسوب آخر، فأنهِ جميع جلساتك هنا.
account-sign-out-everywhere = تسجيل الخروج من جميع الأجهزة
users-role-label = دور { $name }
users-role-change = تغيير
flash-role-changed = تم تغيير الدور.
