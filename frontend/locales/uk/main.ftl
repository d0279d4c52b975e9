# Amtsweg – українські тексти.

## Рамка

app-name = Amtsweg
app-tagline = Міграційна адміністрація Північного Рейну-Вестфалії
skip-to-main = Перейти до основного вмісту
nav-main = Головна навігація
nav-language = Вибрати мову
nav-workspace-home = Огляд
nav-users = Користувачі
nav-audit = Журнал аудиту
nav-operator-tenants = Установи
nav-operator-audit = Журнал аудиту платформи
nav-ministry = Ситуаційний звіт
nav-portal-account = Мій обліковий запис
signed-in-as = Ви увійшли як
sign-out = Вийти
footer-imprint = Вихідні дані
footer-privacy = Захист даних
footer-accessibility = Доступність
footer-operator = Сервіс федеральної землі Північний Рейн-Вестфалія.
required = обов’язкове поле
error-summary-title = Будь ласка, перевірте введені дані
error-prefix = Помилка:
yes = так
no = ні
select-choose = Будь ласка, виберіть
filter-all = Усі
filter-submit = Фільтрувати
filter-reset = Скинути фільтр
pagination-label = Сторінки
pagination-prev = Попередня сторінка
pagination-next = Наступна сторінка
pagination-position = Сторінка { $page } з { $count }

## Головна сторінка

home-title = Ласкаво просимо до Amtsweg
home-lead = Amtsweg – спільна цифрова платформа відомств у справах іноземців і відомств із натуралізації в Північному Рейні-Вестфалії.
home-portal-title = Для заявників
home-portal-text = Подавайте заяви онлайн, завантажуйте документи та стежте за станом розгляду – своєю мовою.
home-portal-link = Перейти до порталу заяв
home-staff-title = Для працівників установ
home-staff-text = Увійдіть зі своїм службовим обліковим записом, щоб працювати зі своєю установою.
home-staff-link = Вхід для працівників
home-about-title = Про Amtsweg
home-about-text = Земля централізовано керує платформою Amtsweg. Кожна установа працює у власному ізольованому просторі й бачить лише свої дані.

## Вхід

field-email = Адреса електронної пошти
field-password = Пароль
field-password-new = Новий пароль
field-password-confirm = Повторіть пароль
field-display-name = Ім’я
field-totp-code = Код безпеки
field-role = Роль
field-language = Мова
field-action = Дія
field-kind = Тип установи
field-rb = Адміністративний округ
field-query = Пошук за назвою, скороченням або AGS
password-hint = Щонайменше { $min } символів. Довге речення легше запам’ятати, і воно безпечніше за коротке складне слово.
sign-in-title = Увійти
sign-in-lead = Увійдіть зі своїм службовим обліковим записом.
sign-in-submit = Увійти
totp-title = Введіть код безпеки
totp-lead = Ваш обліковий запис захищено другим фактором.
totp-hint = Шестизначний код із вашого застосунку автентифікації або один із ваших кодів відновлення.
totp-submit = Підтвердити
mfa-title = Налаштування двофакторного входу
mfa-lead = Щоб захистити дані, з якими ви працюєте, окрім пароля вам потрібен код із застосунку автентифікації.
mfa-step-app-title = Підготуйте застосунок
mfa-step-app = Відкрийте застосунок автентифікації на службовому телефоні, наприклад той, що схвалив ваш ІТ-відділ.
mfa-step-scan-title = Додайте обліковий запис
mfa-step-scan = Відскануйте QR-код застосунком.
mfa-qr-label = QR-код для налаштування застосунку автентифікації
mfa-manual = Якщо ви не можете відсканувати код, введіть ключ вручну.
mfa-secret-label = Ключ
mfa-step-confirm-title = Підтвердьте код
mfa-step-confirm = Введіть шестизначний код, який зараз показує застосунок.
mfa-submit = Завершити налаштування
recovery-title = Ваші коди відновлення
recovery-lead = За допомогою цих кодів ви можете увійти, якщо не маєте доступу до застосунку автентифікації. Кожен код діє лише один раз.
recovery-warning = Коди показуються лише зараз. Зберігайте їх у безпечному місці окремо від пароля, наприклад роздрукованими в замкненій шафі.
recovery-list-label = Коди відновлення
recovery-continue = Перейти до огляду

## Робочий простір

workspace-lead = Робочий простір вашої установи.
workspace-tenant-heading = Ваша установа
workspace-tasks = Адміністрування
workspace-link-users = Керувати користувачами та запрошеннями
workspace-link-audit = Переглянути журнал аудиту
users-title = Користувачі
users-heading = Облікові записи користувачів
users-caption = Облікові записи користувачів цієї установи
users-empty = Облікових записів користувачів ще немає.
users-disable = Деактивувати
users-disable-label = Деактивувати { $name }
mfa-on = налаштовано
mfa-off = не налаштовано
invitations-heading = Запрошення
invitations-caption = Надіслані запрошення
invitations-empty = Відкритих запрошень немає.
invitation-accepted = прийнято
invitation-pending = відкрите
invite-title = Запросити особу
invite-lead = Особа отримає електронний лист із посиланням для налаштування облікового запису.
invite-submit = Надіслати запрошення
col-name = Ім’я
col-email = Адреса електронної пошти
col-role = Роль
col-status = Статус
col-mfa = Двофакторний вхід
col-actions = Дії
col-created = Дата запрошення
col-expires = Дійсне до
col-state = Стан
col-at = Час
col-actor = Хто
col-action = Дія
col-object = Об’єкт
col-source = Джерело
col-id = Ідентифікатор
col-slug = Скорочення
col-kind = Тип
col-rb = Адміністративний округ
col-ags = AGS
col-kreisschluessel = Код району
col-abh-kennung = Ідентифікатор ABH
col-behoerdenkennzahl = Код установи
col-vendor = Програма ведення справ
col-contact = Контакт
col-lifecycle = Стан підключення
col-pilot = Пілотна установа
col-confirmed = Підтверджено
col-user-count = Облікові записи користувачів
col-count = Кількість
audit-title = Журнал аудиту
audit-lead = Кожну зміну записано без можливості редагування. Записи пов’язано в ланцюжок, цілісність якого ви можете перевірити.
audit-caption = Записи журналу (усього { $total })
audit-col-seq = №
audit-empty = Записів не знайдено.
audit-filter-title = Фільтрувати журнал аудиту
audit-filter-hint = Наприклад user.invited
audit-verify-title = Перевірити ланцюжок
audit-verify-text = Перевіряє, чи було якийсь запис згодом змінено або видалено.
audit-verify-submit = Перевірити ланцюжок
audit-chain-intact = Ланцюжок журналу цілісний.
audit-chain-broken = Ланцюжок журналу порушено. Негайно повідомте службу експлуатації платформи.
invitation-title = Прийняти запрошення
invitation-lead = Вас запрошено до { $authority } у ролі «{ $role }». Налаштуйте свій обліковий запис.
invitation-submit = Налаштувати обліковий запис

## Експлуатація

tenants-title = Установи
tenants-lead = Усі установи в каталозі та стан їхнього підключення.
tenants-filter-title = Фільтрувати установи
tenants-caption = Установи в каталозі
tenants-count = { $shown } з { $total } установ
tenants-empty = Жодна установа не відповідає фільтру.
back-to-tenants = Назад до списку установ

## Міністерство

ministry-title = Ситуаційний звіт
ministry-lead = Стан цифровізації в усіх установах.
ministry-privacy-note = Ця сторінка показує лише узагальнені цифри, ніколи – персональні дані.
ministry-abh-total = Відомства у справах іноземців
ministry-pilots = Пілотні установи
ministry-chart-abh-title = Відомства у справах іноземців за адміністративними округами
ministry-chart-abh-desc = Стовпчикова діаграма: кількість відомств у справах іноземців в кожному адміністративному окрузі, усього { $total }. Ці цифри є також у таблиці нижче.
ministry-by-kind = Установи за типом
ministry-by-lifecycle = Установи за станом підключення

## Портал

portal-title = Портал заяв
portal-lead = Тут ви можете онлайн вирішити свої справи у відомстві у справах іноземців та у відомстві з натуралізації.
portal-register-link = Створити обліковий запис
portal-sign-in-link = Увійти
portal-what-title = Що ви можете тут зробити
portal-what-apply = подати заяву, наприклад на дозвіл на проживання або на натуралізацію
portal-what-documents = завантажити документи
portal-what-status = стежити за станом розгляду вашої заяви
portal-what-appointment = записатися на прийом, якщо потрібно прийти особисто
portal-privacy-title = Ваші дані
portal-privacy-text = Ваші дані бачить лише установа, відповідальна за вас.
register-title = Створити обліковий запис
register-lead = Маючи обліковий запис, ви можете подавати заяви та читати повідомлення від вашої установи.
register-email-hint = На цю адресу ми надішлемо посилання для підтвердження.
register-name-hint = Так ми будемо до вас звертатися.
register-language-hint = Цією мовою ми будемо вам писати.
register-submit = Створити обліковий запис
register-have-account = Уже маєте обліковий запис?
portal-sign-in-title = Увійти
portal-sign-in-lead = Увійдіть за допомогою адреси електронної пошти та пароля.
portal-no-account = Ще не маєте облікового запису?
check-mail-title = Будь ласка, перевірте свою поштову скриньку
check-mail-text = Ми надіслали вам електронний лист із посиланням. Відкрийте посилання, щоб підтвердити адресу електронної пошти.
check-mail-spam = Не отримали листа? Перевірте також папку «Спам». Посилання дійсне 24 години.
confirmed-title = Адресу електронної пошти підтверджено
confirmed-text = Дякуємо. Ваш обліковий запис готовий, ви можете увійти.
account-title = Мій обліковий запис
account-lead = Ваші дані на цьому порталі.
account-applications = Мої заяви
account-applications-empty = Ви ще не подали жодної заяви.

## API

api-title = Довідник API
api-lead = Інтерфейс для програм ведення справ та інших систем. Кожен запит потребує токена доступу.
api-openapi-link = Завантажити опис OpenAPI (JSON)
api-col-method = Метод
api-col-path = Шлях
api-col-summary = Опис
api-empty = Операцій не описано.

## Сторінки помилок

error-status = Код помилки { $status }
error-back = Назад на головну сторінку
error-not-found-detail = Можливо, адресу введено з помилкою або сторінку переміщено.
error-forbidden-detail = Ваш обліковий запис не має дозволу на цю сторінку.
error-internal-detail = Будь ласка, спробуйте пізніше. Помилку зареєстровано.
error-csrf-detail = Перезавантажте сторінку та надішліть форму ще раз.

## Повідомлення

error-credentials = Адреса електронної пошти або пароль неправильні.
error-throttled = Забагато спроб. Будь ласка, зачекайте кілька хвилин.
error-payload-too-large = Надіслане завелике
error-payload-too-large-detail = Файл може мати розмір не більше 10 МБ. Поверніться назад, зменште файл (наприклад, PDF з нижчою роздільною здатністю) і завантажте його ще раз.
error-required = Будь ласка, заповніть це поле.
error-email-invalid = Будь ласка, введіть адресу електронної пошти у форматі name@example.com.
error-password-short = Пароль має містити щонайменше { $min } символів.
error-password-mismatch = Паролі не збігаються.
error-totp-invalid = Код недійсний. Будь ласка, введіть поточний код.
error-email-taken = Для цієї адреси електронної пошти вже існує обліковий запис.
error-role-invalid = Будь ласка, виберіть одну із запропонованих ролей.
error-csrf = Термін дії форми минув. Будь ласка, надішліть її ще раз.
error-not-found = Сторінку не знайдено
error-forbidden = Немає доступу
error-internal = Сталася технічна помилка
error-invitation-invalid = Запрошення недійсне, прострочене або вже прийняте.
flash-invited = Запрошення надіслано.
flash-invitation-accepted = Ваш обліковий запис налаштовано. Будь ласка, увійдіть.
flash-user-disabled = Обліковий запис користувача деактивовано.
flash-signed-out = Ви вийшли з системи.
flash-mfa-enabled = Двофакторний вхід налаштовано.
flash-chain-intact = Ланцюжок журналу цілісний.
flash-chain-broken = Ланцюжок журналу порушено. Негайно повідомте службу експлуатації платформи.
flash-registered = Ваш обліковий запис створено. Будь ласка, підтвердьте адресу електронної пошти.
flash-confirmed = Вашу адресу електронної пошти підтверджено.

## Електронні листи

mail-invitation-subject = Запрошення до Amtsweg: { $authority }
mail-invitation-body =
    Доброго дня!

    Вас запрошено працювати з Amtsweg для { $authority }.

    Налаштуйте свій обліковий запис за цим посиланням:
    { $link }

    Посилання дійсне { $days ->
        [one] { $days } день
        [few] { $days } дні
        [many] { $days } днів
       *[other] { $days } дня
    }. Якщо ви не очікували цього запрошення, просто проігноруйте цей лист.

    Amtsweg – Міграційна адміністрація Північного Рейну-Вестфалії
mail-confirm-subject = Будь ласка, підтвердьте адресу електронної пошти
mail-confirm-body =
    Доброго дня!

    Будь ласка, підтвердьте свою адресу електронної пошти для порталу заяв Amtsweg:
    { $link }

    Якщо ви не створювали обліковий запис, просто проігноруйте цей лист.

    Amtsweg – Міграційна адміністрація Північного Рейну-Вестфалії

## Значення

role-platform_operator = Експлуатація платформи
role-ministry_analyst = Міністерство (аналітика)
role-tenant_admin = Адміністратор установи
role-clerk = Спеціаліст із розгляду справ
role-approver = Особа з правом підпису
role-applicant = Заявник
kind-ministry = Міністерство
kind-bezirksregierung = Уряд адміністративного округу
kind-zab = Центральне відомство у справах іноземців
kind-abh = Відомство у справах іноземців
kind-einbuergerungsbehoerde = Відомство з натуралізації
lifecycle-catalogued = у каталозі
lifecycle-invited = запрошено
lifecycle-onboarding = підключається
lifecycle-live = працює
lifecycle-suspended = призупинено
lifecycle-offboarded = відключено
status-active = активний
status-disabled = деактивований
vendor-advis = ADVIS (Kommunix)
vendor-ok_visa = OK.VISA (AKDB)
vendor-other = інша програма
vendor-unknown = невідомо

account-heading = Ваш обліковий запис
account-sign-out-everywhere-hint = Якщо ви загубили пристрій або забули вийти на іншому комп’ютері, завершіть тут усі свої сеанси.
account-sign-out-everywhere = Вийти на всіх пристроях
users-role-label = Роль { $name }
users-role-change = Змінити
flash-role-changed = Роль змінено.
