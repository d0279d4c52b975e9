# Applicant portal: services, forms, evidence, payment, status (issue 4).

nav-portal-applications = Мої заяви
nav-intake-inbox = Вхідні заяви

intake-choose = Будь ласка, оберіть
intake-amount = { $amount } €
intake-fee-from = Збір: { $amount } €
intake-services-title = Послуги
intake-services-lead = Оберіть, що ви хочете подати. Ви можете будь-коли зберегти і продовжити пізніше.
intake-place-label = Населений пункт або поштовий індекс
intake-place-hint = Наприклад, „Borken“ або „46325“. Так ми визначимо відповідальну службу у справах іноземців.
intake-place-find = Знайти відповідальну службу
intake-authority-title = Відповідальна служба
intake-authority-found = Відповідальна служба: { $authority }.
intake-authority-several = Цей індекс обслуговують кілька служб. Оберіть свою.
intake-start = Почати заяву
intake-sign-in-first = Щоб подати заяву, увійдіть або створіть обліковий запис.
intake-steps = Кроки заяви
intake-step-of = Крок { $page } з { $total }
intake-back = Назад
intake-continue = Далі
intake-save-later = Зберегти і продовжити пізніше
intake-edit = Змінити „{ $name }“
intake-review-title = Перевірте дані
intake-review-lead = Перевірте свої дані, завантажте документи і сплатіть збір. Після цього можна надіслати заяву.
intake-quick-check-title = Результат швидкої перевірки
intake-quick-check-lead = Швидка перевірка не є обов’язковою. Цих пунктів може бракувати; ви все одно можете подати заяву.
intake-evidence-title = Документи
intake-evidence-kind = Вид документа
intake-evidence-missing = ще бракує
intake-evidence-optional = необов’язково
intake-evidence-present = завантажено
intake-file = Файл
intake-upload = Завантажити
intake-upload-hint = PDF, JPEG або PNG, не більше { $count } МБ на файл.
intake-remove = Видалити { $name }
intake-remove-short = Видалити
intake-fee-title = Збір
intake-pay = Сплатити збір
intake-submit-title = Надіслати
intake-submit-lead = Після надсилання заява надійде до відповідальної служби. Ви отримаєте підтвердження отримання.
intake-submit = Надіслати заяву
intake-exemption-protection = Ви звільнені від збору (статус захисту).
intake-exemption-minor = Неповнолітні сплачують половину збору.
intake-payment-pending = Оплату ще не завершено.
intake-payment-paid = Збір сплачено.
intake-payment-declined = Оплату відхилено. Спробуйте ще раз.
intake-payment-abandoned = Оплату скасовано. Спробуйте ще раз.
intake-reference = Номер справи
intake-submitted-at = Отримано
intake-paid = Сплачено
intake-receipt-pdf = Підтвердження отримання (PDF)
intake-status-title = Стан вашої заяви
intake-state = Стан
intake-state-submitted = Отримано
intake-state-submitted-text = Ваша заява надійшла до служби.
intake-state-in_progress = На розгляді
intake-state-in_progress-text = Працівник розглядає вашу заяву.
intake-state-awaiting_applicant = Потрібна ваша участь
intake-state-awaiting_applicant-text = Службі щось потрібно від вас. Прочитайте повідомлення.
intake-state-decided = Рішення ухвалено
intake-state-decided-text = За вашою заявою ухвалено рішення.
intake-state-ready_for_pickup = Готово до отримання
intake-state-ready_for_pickup-text = Ваш документ готовий до отримання.
intake-state-closed = Завершено
intake-state-closed-text = Справу завершено.
intake-messages-title = Повідомлення
intake-message-from-authority = Від служби
intake-message-from-you = Від вас
intake-message-from-applicant = Від заявника
intake-message-due = Будь ласка, дайте відповідь до { $name }.
intake-reply-label = Ваша відповідь
intake-reply-send = Надіслати відповідь
intake-appointments-title = Записи на прийом
intake-slot = Вільний час
intake-book = Записатися
intake-cancel-appointment = Скасувати запис
intake-pickup-title = Отримання
intake-pickup-text = Ваш документ готовий: { $name }. Код отримання ви знайдете в повідомленнях.
intake-applications-title = Мої заяви
intake-new-application = Нова заява
intake-drafts-title = Чернетки
intake-drafts-empty = У вас немає чернеток.
intake-submitted-title = Надіслані заяви
intake-submitted-empty = Ви ще не надіслали жодної заяви.
intake-inbox-title = Вхідні заяви
intake-inbox-lead = Заяви, подані онлайн, з усіма даними та документами.
intake-inbox-empty = Заяв не надходило.
intake-service = Послуга
intake-evidence-count = Документи
intake-content-type = Тип файлу
intake-size = Розмір
intake-data-title = Дані
intake-message-label = Повідомлення заявнику
intake-message-due-label = Строк (необов’язково)
intake-date-hint = Формат РРРР-ММ-ДД
intake-message-send = Надіслати повідомлення
intake-pickup-location = Місце отримання
intake-pickup-issue = Видати код отримання
intake-pickup-issued = Код отримання (показано лише зараз):

intake-error-required = Будь ласка, заповніть це поле.
intake-error-too-long = Текст задовгий.
intake-error-characters = Текст містить недопустимі символи.
intake-error-email = Введіть дійсну адресу електронної пошти.
intake-error-date = Введіть дату у форматі РРРР-ММ-ДД.
intake-error-date-past = Дата має бути в минулому.
intake-error-date-future = Дата має бути в майбутньому.
intake-error-option = Оберіть одне із запропонованих значень.
intake-error-number = Введіть ціле число.
intake-error-range = Число поза допустимим діапазоном.
intake-error-postal-code = Поштовий індекс має п’ять цифр.
intake-error-document-number = Використовуйте від 6 до 12 великих літер і цифр без пробілів.
intake-error-place-empty = Введіть населений пункт або поштовий індекс.
intake-error-place-not-found = Ми не знаємо такого місця в Північному Рейні-Вестфалії.
intake-error-service-inactive = Ця служба ще не надає послугу онлайн.
intake-error-file-type = Дозволені лише файли PDF, JPEG і PNG.
intake-error-file-size = Файл завеликий.
intake-error-file-count = Досягнуто максимальної кількості файлів.
intake-error-file-empty = Оберіть файл.
intake-error-evidence-kind = Оберіть вид документа.
intake-problem-evidence = Ще бракує документів.
intake-problem-unpaid = Збір ще не сплачено.

intake-flash-saved = Вашу чернетку збережено.
intake-flash-uploaded = Файл завантажено.
intake-flash-removed = Файл видалено.
intake-flash-paid = Дякуємо, збір сплачено.
intake-flash-declined = Оплату відхилено.
intake-flash-abandoned = Оплату скасовано.
intake-flash-submitted = Вашу заяву отримано. Підтвердження надіслано електронною поштою.
intake-flash-message-sent = Повідомлення надіслано.
intake-flash-booked = Вас записано на прийом.
intake-flash-cancelled = Ваш запис скасовано.
intake-flash-slot-taken = Цей час щойно зайняли. Оберіть інший.

mail-intake-received-subject = Вашу заяву отримано
mail-intake-received-body = Добрий день,

    ваша заява надійшла до служби. Стан і підтвердження отримання ви знайдете у своєму обліковому записі Amtsweg:

    { $link }

    Цей лист створено автоматично.
mail-intake-message-subject = Нове повідомлення у вашому обліковому записі Amtsweg
mail-intake-message-body = Добрий день,

    у вашому обліковому записі Amtsweg нове повідомлення:

    { $link }

    Цей лист створено автоматично.

pdf-receipt-title = Підтвердження отримання
pdf-receipt-note = Це підтвердження засвідчує отримання вашої заяви. Воно не є рішенням.

sim-pay-title = Оплата (симулятор)
sim-pay-lead = Цей симулятор замінює платіжний сервіс ePayBL. Оберіть, чим завершиться оплата.
sim-pay-purpose = Призначення платежу
sim-pay-pay = Сплатити
sim-pay-double = Сплатити (повідомлення двічі)
sim-pay-decline = Відхилити
sim-pay-abandon = Скасувати

# Tenant settings: services and appointment resources (staff, issue 4).
nav-intake-settings = Послуги та записи
intake-settings-title = Послуги та записи
intake-settings-lead = Які послуги ваш орган надає онлайн, з власними підказками, контактами та годинами роботи, а також ресурси для записів.
intake-settings-services = Послуги земельного каталогу
intake-settings-active = Доступна онлайн
intake-settings-own-texts = Власні підказки
intake-settings-action = Дія
intake-settings-edit = Змінити
intake-settings-hints = Власні підказки для заявників
intake-settings-hints-hint = Показуються під описом землі; загальноземельна версія залишається основою.
intake-settings-contact = Контакти
intake-settings-opening-hours = Години роботи (текст)
intake-settings-save = Зберегти
intake-settings-back = Назад до послуг і записів
intake-flash-settings-saved = Налаштування збережено.
intake-flash-resource-added = Ресурс додано.
intake-flash-resource-deactivated = Ресурс виведено з роботи.
intake-resources-title = Ресурси для записів
intake-resources-empty = Ресурсів ще немає.
intake-resource-kind = Вид
intake-resource-kind-counter = Віконце
intake-resource-kind-biometrics = Біометрична станція
intake-resource-kind-interpreter = Перекладач/ка
intake-resource-name = Назва
intake-resource-languages = Мови
intake-resource-languages-hint = Двобуквені коди мов через кому, напр. ar,fa (потрібно для перекладачів).
intake-resource-hours = Години роботи
intake-resource-add = Додати ресурс
intake-resource-deactivate = Вивести з роботи
intake-hours-opens = відкривається (HH:MM)
intake-hours-closes = закривається (HH:MM)
intake-hours-slot = Тривалість запису в хвилинах
intake-hours-hint = Місцевий час у Німеччині. Залиште день порожнім, якщо зачинено.
intake-minutes = { $count } хв
intake-weekday-1 = Понеділок
intake-weekday-2 = Вівторок
intake-weekday-3 = Середа
intake-weekday-4 = Четвер
intake-weekday-5 = Пʼятниця
intake-weekday-6 = Субота
intake-weekday-7 = Неділя
intake-error-time = Введіть час у форматі HH:MM.
intake-error-closes-before-opens = Час закриття має бути пізніше за час відкриття.
intake-error-slot-minutes = Введіть від 5 до 240 хвилин.
intake-error-languages = Використовуйте двобуквені коди мов через кому, напр. ar,fa.
intake-day-title = Огляд дня
intake-day-lead = Хто й коли приходить, для одного ресурсу в один день (місцевий час).
intake-day-date = Дата (РРРР-ММ-ДД)
intake-day-show = Показати
intake-day-empty = На цей день записів немає.
intake-day-time = Час
intake-day-person = Особа

# Replies with documents (issue 4).
intake-reply-file = Додати документ (необовʼязково)
intake-reply-file-hint = PDF, JPEG або PNG, не більше 10 МБ.
intake-reply-attachments = Додані документи:
intake-replies = Відповіді
intake-new-replies = { $count } нових
mail-intake-reply-subject = Нова відповідь у вхідних заявах
mail-intake-reply-body = Надійшла відповідь на повідомлення вашого органу. Після входу ви знайдете її тут: { $link }
mail-intake-team-reply-subject = Нова відповідь на заяву, яку ще ніхто не опрацьовує
mail-intake-team-reply-body = Заявник відповів на заяву, до якої ніхто з вашого органу ще не писав. Про наступні відповіді на цю заяву ми повідомимо лише після того, як хтось її відкриє. Після входу ви знайдете її тут: { $link }

# Appointment reminders (issue 4).
mail-intake-reminder-subject = Нагадування про ваш запис
mail-intake-reminder-body = Протягом наступних 24 годин у вас запис до вашого органу. Час і місце ви побачите після входу тут: { $link }

# Self-service terminals (kiosk mode)
kiosk-name = Самообслуговування
kiosk-nav = Дії термінала
kiosk-start = На початок
kiosk-idle-hint = Для вашого захисту: без введення вас буде виведено з системи через { $minutes } хв, тобто о { $time }. Кожне введення подовжує цей час.
kiosk-start-title = Самообслуговування
kiosk-start-lead = Тут ви подаєте заяви до { $authority }, завантажуєте документи й сплачуєте збір.
kiosk-privacy-title = Ваші дані на цьому пристрої
kiosk-privacy-text = Цей пристрій нічого вашого не зберігає. Вийдіть із системи, коли закінчите; без введення це станеться саме через короткий час. Чернетка залишається у вашому обліковому записі, ви зможете продовжити її пізніше вдома.
kiosk-flash-timed-out = Сеанс завершено, бо деякий час нічого не вводилося. На цьому пристрої нічого вашого не залишилося.
kiosk-warning-title = Ви ще тут?
kiosk-warning-text = Без введення цей пристрій через { $seconds } с повернеться на початок і виведе вас із системи. Ваша чернетка залишиться у вашому обліковому записі.
kiosk-warning-continue = Продовжити
kiosk-out-of-service-title = Термінал не працює
kiosk-out-of-service-lead = Цей пристрій більше не є терміналом самообслуговування. Будь ласка, зверніться до персоналу. Подати заяву можна також будь-коли на онлайн-порталі.
kiosk-out-of-service-portal = До онлайн-порталу
kiosk-terminals-title = Термінали самообслуговування
kiosk-terminals-lead = Пристрій у вашому органі стає терміналом, коли на ньому один раз відкривають його адресу. Адресу показують лише один раз; хто її знає, може зробити пристрій терміналом.
kiosk-terminals-empty = Терміналів ще не налаштовано.
kiosk-terminal-name = Назва
kiosk-terminal-name-hint = За чим ваша команда впізнає пристрій, напр. «Фоє, ліворуч».
kiosk-terminal-registered = Налаштовано
kiosk-terminal-state = Стан
kiosk-terminal-active = працює
kiosk-terminal-revoked = виведено з експлуатації
kiosk-terminal-revoke = Вивести з експлуатації
kiosk-terminal-add = Налаштувати термінал
kiosk-terminal-created = Термінал налаштовано. Відкрийте цю адресу один раз у браузері пристрою; її більше не буде показано:
kiosk-flash-terminal-revoked = Термінал виведено з експлуатації. Його адреса більше не працює.
