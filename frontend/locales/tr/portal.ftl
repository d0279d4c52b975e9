# Applicant portal: services, forms, evidence, payment, status (issue 4).

nav-portal-applications = Başvurularım
nav-intake-inbox = Gelen başvurular

intake-choose = Lütfen seçin
intake-amount = { $amount } €
intake-fee-from = Harç: { $amount } €
intake-services-title = Hizmetler
intake-services-lead = Ne için başvurmak istediğinizi seçin. İstediğiniz zaman kaydedip daha sonra devam edebilirsiniz.
intake-place-label = İkamet yeri veya posta kodu
intake-place-hint = Örneğin „Borken“ veya „46325“. Böylece yetkili yabancılar dairesini belirleriz.
intake-place-find = Yetkili daireyi bul
intake-authority-title = Yetkili daire
intake-authority-found = Yetkili daire: { $authority }.
intake-authority-several = Bu posta koduna birden fazla daire bakıyor. Lütfen kendi dairenizi seçin.
intake-start = Başvuruyu başlat
intake-sign-in-first = Başvurmak için lütfen giriş yapın veya hesap oluşturun.
intake-steps = Başvuru adımları
intake-step-of = Adım { $page } / { $total }
intake-back = Geri
intake-continue = Devam
intake-save-later = Kaydet ve sonra devam et
intake-edit = „{ $name }“ bölümünü değiştir
intake-review-title = Bilgileri kontrol edin
intake-review-lead = Lütfen bilgilerinizi kontrol edin, belgeleri yükleyin ve harcı ödeyin. Ardından başvuruyu gönderebilirsiniz.
intake-quick-check-title = Hızlı kontrol sonucu
intake-quick-check-lead = Hızlı kontrol bağlayıcı değildir. Bu noktalar eksik olabilir; yine de başvurabilirsiniz.
intake-evidence-title = Belgeler
intake-evidence-kind = Belge türü
intake-evidence-missing = henüz eksik
intake-evidence-optional = isteğe bağlı
intake-evidence-present = yüklendi
intake-file = Dosya
intake-upload = Yükle
intake-upload-hint = PDF, JPEG veya PNG, dosya başına en fazla { $count } MB.
intake-remove = { $name } dosyasını kaldır
intake-remove-short = Kaldır
intake-fee-title = Harç
intake-pay = Harcı öde
intake-submit-title = Gönder
intake-submit-lead = Gönderdiğinizde başvurunuz yetkili daireye iletilir. Bir alındı belgesi alırsınız.
intake-submit = Başvuruyu gönder
intake-exemption-protection = Harçtan muafsınız (koruma statüsü).
intake-exemption-minor = Reşit olmayanlar harcın yarısını öder.
intake-payment-pending = Ödeme henüz tamamlanmadı.
intake-payment-paid = Harç ödendi.
intake-payment-declined = Ödeme reddedildi. Lütfen tekrar deneyin.
intake-payment-abandoned = Ödeme iptal edildi. Lütfen tekrar deneyin.
intake-reference = Dosya numarası
intake-submitted-at = Alındığı tarih
intake-paid = Ödenen
intake-receipt-pdf = Alındı belgesi (PDF)
intake-status-title = Başvurunuzun durumu
intake-state = Durum
intake-state-submitted = Alındı
intake-state-submitted-text = Başvurunuz daireye ulaştı.
intake-state-in_progress = İşlemde
intake-state-in_progress-text = Bir memur başvurunuzu inceliyor.
intake-state-awaiting_applicant = Katkınız gerekiyor
intake-state-awaiting_applicant-text = Dairenin sizden bir şeye ihtiyacı var. Lütfen mesajlarınızı okuyun.
intake-state-decided = Karar verildi
intake-state-decided-text = Başvurunuz hakkında karar verildi.
intake-state-ready_for_pickup = Teslime hazır
intake-state-ready_for_pickup-text = Belgeniz teslim alınmaya hazır.
intake-state-closed = Kapatıldı
intake-state-closed-text = İşlem tamamlandı.
intake-messages-title = Mesajlar
intake-message-from-authority = Daireden
intake-message-from-you = Sizden
intake-message-from-applicant = Başvuru sahibinden
intake-message-due = Lütfen { $name } tarihine kadar yanıtlayın.
intake-reply-label = Yanıtınız
intake-reply-send = Yanıtı gönder
intake-appointments-title = Randevular
intake-slot = Boş randevu
intake-book = Randevu al
intake-cancel-appointment = Randevuyu iptal et
intake-pickup-title = Teslim alma
intake-pickup-text = Belgeniz hazır: { $name }. Teslim kodunu mesajlarınızda bulabilirsiniz.
intake-applications-title = Başvurularım
intake-new-application = Yeni başvuru
intake-drafts-title = Taslaklar
intake-drafts-empty = Taslağınız yok.
intake-submitted-title = Gönderilen başvurular
intake-submitted-empty = Henüz bir başvuru göndermediniz.
intake-inbox-title = Gelen başvurular
intake-inbox-lead = Çevrim içi gelen başvurular, tüm bilgi ve belgeleriyle.
intake-inbox-empty = Gelen başvuru yok.
intake-service = Hizmet
intake-evidence-count = Belgeler
intake-content-type = Dosya türü
intake-size = Boyut
intake-data-title = Bilgiler
intake-message-label = Başvuru sahibine mesaj
intake-message-due-label = Son tarih (isteğe bağlı)
intake-date-hint = Biçim YYYY-AA-GG
intake-message-send = Mesajı gönder
intake-pickup-location = Teslim yeri
intake-pickup-issue = Teslim kodu oluştur
intake-pickup-issued = Teslim kodu (yalnızca şimdi görünür):

intake-error-required = Lütfen bu alanı doldurun.
intake-error-too-long = Metin çok uzun.
intake-error-characters = Metin izin verilmeyen karakterler içeriyor.
intake-error-email = Lütfen geçerli bir e-posta adresi girin.
intake-error-date = Lütfen tarihi YYYY-AA-GG biçiminde girin.
intake-error-date-past = Tarih geçmişte olmalıdır.
intake-error-date-future = Tarih gelecekte olmalıdır.
intake-error-option = Lütfen sunulan değerlerden birini seçin.
intake-error-number = Lütfen bir tam sayı girin.
intake-error-range = Sayı izin verilen aralığın dışında.
intake-error-postal-code = Posta kodu beş rakamdan oluşur.
intake-error-document-number = Lütfen boşluksuz 6 ila 12 büyük harf ve rakam kullanın.
intake-error-place-empty = Lütfen ikamet yerinizi veya posta kodunuzu girin.
intake-error-place-not-found = Kuzey Ren-Vestfalya'da bu yeri bilmiyoruz.
intake-error-service-inactive = Bu daire hizmeti henüz çevrim içi sunmuyor.
intake-error-file-type = Yalnızca PDF, JPEG ve PNG dosyalarına izin verilir.
intake-error-file-size = Dosya çok büyük.
intake-error-file-count = Azami dosya sayısına ulaştınız.
intake-error-file-empty = Lütfen bir dosya seçin.
intake-error-evidence-kind = Lütfen belge türünü seçin.
intake-problem-evidence = Bazı belgeler hâlâ eksik.
intake-problem-unpaid = Harç henüz ödenmedi.

intake-flash-saved = Taslağınız kaydedildi.
intake-flash-uploaded = Dosya yüklendi.
intake-flash-removed = Dosya kaldırıldı.
intake-flash-paid = Teşekkürler, harç ödendi.
intake-flash-declined = Ödeme reddedildi.
intake-flash-abandoned = Ödeme iptal edildi.
intake-flash-submitted = Başvurunuz alındı. Onay e-postayla gönderiliyor.
intake-flash-message-sent = Mesaj gönderildi.
intake-flash-booked = Randevunuz alındı.
intake-flash-cancelled = Randevunuz iptal edildi.
intake-flash-slot-taken = Bu randevu az önce alındı. Lütfen başka birini seçin.

mail-intake-received-subject = Başvurunuz alındı
mail-intake-received-body = Merhaba,

    başvurunuz daireye ulaştı. Durumunu ve alındı belgesini Amtsweg hesabınızda bulabilirsiniz:

    { $link }

    Bu e-posta otomatik olarak oluşturuldu.
mail-intake-message-subject = Amtsweg hesabınızda yeni bir mesaj var
mail-intake-message-body = Merhaba,

    Amtsweg hesabınızda yeni bir mesajınız var:

    { $link }

    Bu e-posta otomatik olarak oluşturuldu.

pdf-receipt-title = Alındı belgesi
pdf-receipt-note = Bu belge başvurunuzun alındığını gösterir. Bir karar değildir.

sim-pay-title = Ödeme (simülatör)
sim-pay-lead = Bu simülatör ePayBL ödeme hizmetinin yerine geçer. Ödemenin nasıl sonuçlanacağını seçin.
sim-pay-purpose = Ödeme amacı
sim-pay-pay = Öde
sim-pay-double = Öde (bildirim iki kez)
sim-pay-decline = Reddet
sim-pay-abandon = İptal et

# Tenant settings: services and appointment resources (staff, issue 4).
nav-intake-settings = Hizmetler ve randevular
intake-settings-title = Hizmetler ve randevular
intake-settings-lead = Kurumunuzun çevrimiçi sunduğu hizmetler, kendi notları, iletişim bilgileri ve çalışma saatleriyle birlikte, ve randevu kaynakları.
intake-settings-services = Eyalet kataloğundaki hizmetler
intake-settings-active = Çevrimiçi sunuluyor
intake-settings-own-texts = Kendi notları
intake-settings-action = İşlem
intake-settings-edit = Düzenle
intake-settings-hints = Başvuru sahipleri için kendi notlarınız
intake-settings-hints-hint = Eyaletin açıklamasının altında gösterilir; eyalet genelindeki sürüm temel olarak kalır.
intake-settings-contact = İletişim
intake-settings-opening-hours = Çalışma saatleri (metin)
intake-settings-save = Kaydet
intake-settings-back = Hizmetler ve randevulara geri dön
intake-flash-settings-saved = Ayarlar kaydedildi.
intake-flash-resource-added = Kaynak eklendi.
intake-flash-resource-deactivated = Kaynak hizmet dışı bırakıldı.
intake-resources-title = Randevu kaynakları
intake-resources-empty = Henüz kaynak yok.
intake-resource-kind = Tür
intake-resource-kind-counter = Gişe
intake-resource-kind-biometrics = Biyometri istasyonu
intake-resource-kind-interpreter = Tercüman
intake-resource-name = Ad
intake-resource-languages = Diller
intake-resource-languages-hint = Virgülle ayrılmış iki harfli dil kodları, ör. ar,fa (tercümanlar için gerekli).
intake-resource-hours = Çalışma saatleri
intake-resource-add = Kaynak ekle
intake-resource-deactivate = Hizmet dışı bırak
intake-hours-opens = açılış (HH:MM)
intake-hours-closes = kapanış (HH:MM)
intake-hours-slot = Dakika olarak randevu süresi
intake-hours-hint = Almanya yerel saati. Kapalı olan günü boş bırakın.
intake-minutes = { $count } dk
intake-weekday-1 = Pazartesi
intake-weekday-2 = Salı
intake-weekday-3 = Çarşamba
intake-weekday-4 = Perşembe
intake-weekday-5 = Cuma
intake-weekday-6 = Cumartesi
intake-weekday-7 = Pazar
intake-error-time = Lütfen saati SS:DD biçiminde girin.
intake-error-closes-before-opens = Kapanış saati açılış saatinden sonra olmalıdır.
intake-error-slot-minutes = Lütfen 5 ile 240 dakika arasında girin.
intake-error-languages = Lütfen virgülle ayrılmış iki harfli dil kodları kullanın, ör. ar,fa.
intake-day-title = Gün görünümü
intake-day-lead = Bir günde bir kaynak için kim ne zaman geliyor (yerel saat).
intake-day-date = Tarih (YYYY-AA-GG)
intake-day-show = Göster
intake-day-empty = Bu gün için randevu yok.
intake-day-time = Saat
intake-day-person = Kişi

# Replies with documents (issue 4).
intake-reply-file = Belge ekle (isteğe bağlı)
intake-reply-file-hint = PDF, JPEG veya PNG, en fazla 10 MB.
intake-reply-attachments = Eklenen belgeler:
intake-replies = Yanıtlar
intake-new-replies = { $count } yeni
mail-intake-reply-subject = Başvuru gelen kutusunda yeni yanıt
mail-intake-reply-body = Kurumunuzun bir mesajına yanıt geldi. Oturum açtıktan sonra burada bulabilirsiniz: { $link }
mail-intake-team-reply-subject = Henüz kimsenin ilgilenmediği bir başvuruya yeni yanıt
mail-intake-team-reply-body = Bir başvuru sahibi, kurumunuzdan henüz kimsenin yazmadığı bir başvuruya yanıt verdi. Bu başvurudaki diğer yanıtları ancak biri başvuruyu açtıktan sonra bildiririz. Oturum açtıktan sonra burada bulabilirsiniz: { $link }

# Appointment reminders (issue 4).
mail-intake-reminder-subject = Randevunuz için hatırlatma
mail-intake-reminder-body = Önümüzdeki 24 saat içinde kurumunuzda bir randevunuz var. Saati ve yeri oturum açtıktan sonra burada görebilirsiniz: { $link }

# Self-service terminals (kiosk mode)
kiosk-name = Self servis
kiosk-nav = Terminal işlemleri
kiosk-start = Başa dön
kiosk-idle-hint = Güvenliğiniz için: Giriş yapmazsanız { $minutes } dakika sonra, yani saat { $time } itibarıyla oturumunuz kapatılır. Her giriş bu süreyi uzatır.
kiosk-start-title = Self servis
kiosk-start-lead = Burada { $authority } kurumuna başvurur, belgelerinizi yükler ve harcı ödersiniz.
kiosk-privacy-title = Bu cihazdaki verileriniz
kiosk-privacy-text = Bu cihaz sizden hiçbir şey saklamaz. İşiniz bitince oturumu kapatın; giriş yapmazsanız bu kısa süre sonra kendiliğinden olur. Taslak hesabınızda kalır, daha sonra evden devam edebilirsiniz.
kiosk-flash-timed-out = Bir süre hiçbir şey girilmediği için oturum sona erdi. Bu cihazda sizden hiçbir şey kalmadı.
kiosk-warning-title = Hâlâ orada mısınız?
kiosk-warning-text = Giriş yapmazsanız bu cihaz { $seconds } saniye içinde başlangıca döner ve oturumunuzu kapatır. Taslağınız hesabınızda kalır.
kiosk-warning-continue = Devam et
kiosk-out-of-service-title = Terminal hizmet dışı
kiosk-out-of-service-lead = Bu cihaz artık bir self servis terminali değildir. Lütfen personele başvurun. Başvurunuzu istediğiniz zaman çevrimiçi portaldan da yapabilirsiniz.
kiosk-out-of-service-portal = Çevrimiçi portala git
kiosk-terminals-title = Self servis terminalleri
kiosk-terminals-lead = Kurumunuzdaki bir cihaz, adresi orada bir kez açıldığında terminal olur. Adres yalnızca bir kez gösterilir; onu bilen herkes bir cihazı terminale dönüştürebilir.
kiosk-terminals-empty = Henüz terminal kurulmadı.
kiosk-terminal-name = Ad
kiosk-terminal-name-hint = Ekibinizin cihazı tanıyacağı ad, ör. “Fuaye, sol”.
kiosk-terminal-registered = Kurulum
kiosk-terminal-state = Durum
kiosk-terminal-active = çalışıyor
kiosk-terminal-revoked = hizmet dışı
kiosk-terminal-revoke = Hizmet dışı bırak
kiosk-terminal-add = Terminal kur
kiosk-terminal-created = Terminal kuruldu. Bu adresi cihazın tarayıcısında bir kez açın; bir daha gösterilmeyecek:
kiosk-flash-terminal-revoked = Terminal hizmet dışı. Adresi artık çalışmıyor.
