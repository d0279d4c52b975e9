# Amtsweg – Türkçe metinler.

## Çerçeve

app-name = Amtsweg
app-tagline = Kuzey Ren-Vestfalya Göç İdaresi
skip-to-main = Ana içeriğe geç
nav-main = Ana gezinme
nav-language = Dil seçin
nav-workspace-home = Genel bakış
nav-users = Kullanıcılar
nav-audit = Denetim kaydı
nav-operator-tenants = Kurumlar
nav-operator-audit = Platform denetim kaydı
nav-ministry = Durum raporu
nav-portal-account = Hesabım
signed-in-as = Oturum açan
sign-out = Oturumu kapat
footer-imprint = Künye
footer-privacy = Veri koruma
footer-accessibility = Erişilebilirlik
footer-operator = Kuzey Ren-Vestfalya eyaletinin bir hizmetidir.
required = zorunlu alan
error-summary-title = Lütfen bilgilerinizi kontrol edin
error-prefix = Hata:
yes = evet
no = hayır
select-choose = Lütfen seçin
filter-all = Tümü
filter-submit = Filtrele
filter-reset = Filtreyi sıfırla
pagination-label = Sayfalar
pagination-prev = Önceki sayfa
pagination-next = Sonraki sayfa
pagination-position = Sayfa { $page } / { $count }

## Ana sayfa

home-title = Amtsweg'e hoş geldiniz
home-lead = Amtsweg, Kuzey Ren-Vestfalya'daki yabancılar daireleri ile vatandaşlık dairelerinin ortak dijital platformudur.
home-portal-title = Başvuru sahipleri için
home-portal-text = Başvurularınızı çevrimiçi yapın, belgelerinizi yükleyin ve işleminizin durumunu kendi dilinizde takip edin.
home-portal-link = Başvuru portalına git
home-staff-title = Kurum çalışanları için
home-staff-text = Kurumunuzla çalışmak için hizmet hesabınızla oturum açın.
home-staff-link = Çalışan girişi
home-about-title = Amtsweg hakkında
home-about-text = Amtsweg eyalet tarafından merkezi olarak işletilir. Her kurum kendine ait, ayrılmış bir alanda çalışır ve yalnızca kendi verilerini görür.

## Oturum açma

field-email = E-posta adresi
field-password = Parola
field-password-new = Yeni parola
field-password-confirm = Parolayı tekrarlayın
field-display-name = Ad
field-totp-code = Güvenlik kodu
field-role = Rol
field-language = Dil
field-action = İşlem
field-kind = Kurum türü
field-rb = İdari bölge
field-query = Ad, kısaltma veya AGS ile arayın
password-hint = En az { $min } karakter. Uzun bir cümleyi hatırlamak, kısa ve karmaşık bir kelimeden daha kolay ve daha güvenlidir.
sign-in-title = Oturum aç
sign-in-lead = Hizmet hesabınızla oturum açın.
sign-in-submit = Oturum aç
totp-title = Güvenlik kodunu girin
totp-lead = Hesabınız ikinci bir faktörle korunmaktadır.
totp-hint = Kimlik doğrulama uygulamanızdaki altı haneli kod veya kurtarma kodlarınızdan biri.
totp-submit = Onayla
mfa-title = İki aşamalı oturum açmayı ayarlayın
mfa-lead = Çalıştığınız verileri korumak için parolanızın yanında bir kimlik doğrulama uygulamasından alınan koda ihtiyacınız vardır.
mfa-step-app-title = Uygulamayı hazırlayın
mfa-step-app = İş telefonunuzda bir kimlik doğrulama uygulaması açın, örneğin BT biriminizin onayladığı uygulamayı.
mfa-step-scan-title = Hesabı ekleyin
mfa-step-scan = QR kodunu uygulamayla tarayın.
mfa-qr-label = Kimlik doğrulama uygulamasını ayarlamak için QR kodu
mfa-manual = Kodu tarayamıyorsanız anahtarı elle girin.
mfa-secret-label = Anahtar
mfa-step-confirm-title = Kodu onaylayın
mfa-step-confirm = Uygulamanın şu anda gösterdiği altı haneli kodu girin.
mfa-submit = Kurulumu tamamla
recovery-title = Kurtarma kodlarınız
recovery-lead = Kimlik doğrulama uygulamanıza erişemediğinizde bu kodlarla oturum açabilirsiniz. Her kod yalnızca bir kez geçerlidir.
recovery-warning = Kodlar yalnızca şimdi gösterilir. Onları parolanızdan ayrı, güvenli bir yerde saklayın, örneğin çıktısını alıp kilitli bir dolapta.
recovery-list-label = Kurtarma kodları
recovery-continue = Genel bakışa devam et

## Çalışma alanı

workspace-lead = Kurumunuzun çalışma alanı.
workspace-tenant-heading = Kurumunuz
workspace-tasks = Yönetim
workspace-link-users = Kullanıcıları ve davetleri yönet
workspace-link-audit = Denetim kaydını görüntüle
users-title = Kullanıcılar
users-heading = Kullanıcı hesapları
users-caption = Bu kurumun kullanıcı hesapları
users-empty = Henüz kullanıcı hesabı yok.
users-disable = Devre dışı bırak
users-disable-label = { $name } adlı kullanıcıyı devre dışı bırak
mfa-on = ayarlandı
mfa-off = ayarlanmadı
invitations-heading = Davetler
invitations-caption = Gönderilen davetler
invitations-empty = Açık davet yok.
invitation-accepted = kabul edildi
invitation-pending = açık
invite-title = Birini davet edin
invite-lead = Kişi, hesabını oluşturabileceği bir bağlantı içeren bir e-posta alır.
invite-submit = Davet gönder
col-name = Ad
col-email = E-posta adresi
col-role = Rol
col-status = Durum
col-mfa = İki aşamalı oturum açma
col-actions = İşlemler
col-created = Davet tarihi
col-expires = Geçerlilik sonu
col-state = Durum
col-at = Zaman
col-actor = Kim
col-action = İşlem
col-object = Nesne
col-source = Kaynak
col-id = Tanımlayıcı
col-slug = Kısaltma
col-kind = Tür
col-rb = İdari bölge
col-ags = AGS
col-kreisschluessel = İlçe anahtarı
col-abh-kennung = ABH tanımlayıcısı
col-behoerdenkennzahl = Kurum kodu
col-vendor = Dosya yönetim yazılımı
col-contact = İletişim
col-lifecycle = Bağlantı durumu
col-pilot = Pilot kurum
col-confirmed = Onaylandı
col-user-count = Kullanıcı hesapları
col-count = Sayı
audit-title = Denetim kaydı
audit-lead = Her değişiklik değiştirilemez biçimde kaydedilir. Kayıtlar, bütünlüğünü doğrulayabileceğiniz bir zincir oluşturur.
audit-caption = Denetim kayıtları (toplam { $total })
audit-col-seq = No.
audit-empty = Kayıt bulunamadı.
audit-filter-title = Denetim kaydını filtrele
audit-filter-hint = Örneğin user.invited
audit-verify-title = Zinciri doğrula
audit-verify-text = Bir kaydın sonradan değiştirilip değiştirilmediğini veya silinip silinmediğini kontrol eder.
audit-verify-submit = Zinciri doğrula
audit-chain-intact = Denetim zinciri sağlam.
audit-chain-broken = Denetim zinciri kırık. Lütfen platform işletim ekibini hemen bilgilendirin.
invitation-title = Daveti kabul et
invitation-lead = { $authority } kurumuna { $role } olarak davet edildiniz. Şimdi hesabınızı oluşturun.
invitation-submit = Hesabı oluştur

## İşletim

tenants-title = Kurumlar
tenants-lead = Katalogdaki tüm kurumlar ve bağlantı durumları.
tenants-filter-title = Kurumları filtrele
tenants-caption = Katalogdaki kurumlar
tenants-count = { $total } kurumdan { $shown } tanesi
tenants-empty = Filtreye uyan kurum yok.
back-to-tenants = Kurum listesine dön

## Bakanlık

ministry-title = Durum raporu
ministry-lead = Tüm kurumlarda dijitalleşmenin durumu.
ministry-privacy-note = Bu sayfa yalnızca toplu rakamlar gösterir, asla kişisel veri göstermez.
ministry-abh-total = Yabancılar daireleri
ministry-pilots = Pilot kurumlar
ministry-chart-abh-title = İdari bölgelere göre yabancılar daireleri
ministry-chart-abh-desc = Çubuk grafik: her idari bölgedeki yabancılar dairesi sayısı, toplam { $total }. Rakamlar aşağıdaki tabloda da yer alır.
ministry-by-kind = Türe göre kurumlar
ministry-by-lifecycle = Bağlantı durumuna göre kurumlar

## Portal

portal-title = Başvuru portalı
portal-lead = Yabancılar dairesi ve vatandaşlık dairesindeki işlemlerinizi burada çevrimiçi yapabilirsiniz.
portal-register-link = Hesap oluştur
portal-sign-in-link = Oturum aç
portal-what-title = Burada neler yapabilirsiniz
portal-what-apply = başvuru yapmak, örneğin oturma izni veya vatandaşlık için
portal-what-documents = belge yüklemek
portal-what-status = başvurunuzun durumunu takip etmek
portal-what-appointment = şahsen gelmeniz gerekiyorsa randevu almak
portal-privacy-title = Verileriniz
portal-privacy-text = Bilgilerinizi yalnızca sizden sorumlu kurum görür.
register-title = Hesap oluştur
register-lead = Bir hesapla başvuru yapabilir ve kurumunuzun mesajlarını okuyabilirsiniz.
register-email-hint = Onay bağlantısını bu adrese göndereceğiz.
register-name-hint = Size bu adla hitap edeceğiz.
register-language-hint = Size bu dilde yazacağız.
register-submit = Hesap oluştur
register-have-account = Zaten bir hesabınız var mı?
portal-sign-in-title = Oturum aç
portal-sign-in-lead = E-posta adresiniz ve parolanızla oturum açın.
portal-no-account = Henüz hesabınız yok mu?
check-mail-title = Lütfen gelen kutunuzu kontrol edin
check-mail-text = Size bağlantı içeren bir e-posta gönderdik. E-posta adresinizi onaylamak için bağlantıyı açın.
check-mail-spam = E-posta gelmedi mi? İstenmeyen e-posta klasörünü de kontrol edin. Bağlantı 24 saat geçerlidir.
confirmed-title = E-posta adresi onaylandı
confirmed-text = Teşekkürler. Hesabınız hazır, oturum açabilirsiniz.
account-title = Hesabım
account-lead = Bu portaldaki bilgileriniz.
account-applications = Başvurularım
account-applications-empty = Henüz başvuru yapmadınız.

## API

api-title = API başvuru kaynağı
api-lead = Dosya yönetim yazılımları ve diğer sistemler için arayüz. Her istek bir erişim belirteci gerektirir.
api-openapi-link = OpenAPI açıklamasını indir (JSON)
api-col-method = Yöntem
api-col-path = Yol
api-col-summary = Açıklama
api-empty = Tanımlanmış işlem yok.

## Hata sayfaları

error-status = Hata kodu { $status }
error-back = Ana sayfaya dön
error-not-found-detail = Adres yanlış yazılmış veya sayfa taşınmış olabilir.
error-forbidden-detail = Hesabınızın bu sayfayı açma yetkisi yok.
error-internal-detail = Lütfen daha sonra tekrar deneyin. Hata kaydedildi.
error-csrf-detail = Sayfayı yeniden yükleyin ve formu tekrar gönderin.

## Mesajlar

error-credentials = E-posta adresi veya parola yanlış.
error-throttled = Çok fazla deneme. Lütfen birkaç dakika bekleyin.
error-payload-too-large = Gönderilen dosya çok büyük
error-payload-too-large-detail = Bir dosya en fazla 10 MB olabilir. Lütfen geri dönün, dosyayı küçültün (örneğin daha düşük çözünürlüklü bir PDF) ve yeniden yükleyin.
error-required = Lütfen bu alanı doldurun.
error-email-invalid = Lütfen ad@ornek.com biçiminde bir e-posta adresi girin.
error-password-short = Parola en az { $min } karakter uzunluğunda olmalıdır.
error-password-mismatch = Parolalar eşleşmiyor.
error-totp-invalid = Kod geçerli değil. Lütfen güncel kodu girin.
error-email-taken = Bu e-posta adresi için zaten bir hesap var.
error-role-invalid = Lütfen sunulan rollerden birini seçin.
error-csrf = Formun süresi doldu. Lütfen tekrar gönderin.
error-not-found = Sayfa bulunamadı
error-forbidden = Erişim yok
error-internal = Teknik bir hata oluştu
error-invitation-invalid = Davet geçersiz, süresi dolmuş veya zaten kabul edilmiş.
flash-invited = Davet gönderildi.
flash-invitation-accepted = Hesabınız oluşturuldu. Lütfen şimdi oturum açın.
flash-user-disabled = Kullanıcı hesabı devre dışı bırakıldı.
flash-signed-out = Oturumunuz kapatıldı.
flash-mfa-enabled = İki aşamalı oturum açma ayarlandı.
flash-chain-intact = Denetim zinciri sağlam.
flash-chain-broken = Denetim zinciri kırık. Lütfen platform işletim ekibini hemen bilgilendirin.
flash-registered = Hesabınız oluşturuldu. Lütfen e-posta adresinizi onaylayın.
flash-confirmed = E-posta adresiniz onaylandı.

## E-postalar

mail-invitation-subject = Amtsweg'e davet: { $authority }
mail-invitation-body =
    Merhaba,

    { $authority } için Amtsweg ile çalışmaya davet edildiniz.

    Hesabınızı bu bağlantıyla oluşturun:
    { $link }

    Bağlantı { $days } gün geçerlidir. Bu daveti beklemiyorsanız bu e-postayı dikkate almayabilirsiniz.

    Amtsweg – Kuzey Ren-Vestfalya Göç İdaresi
mail-confirm-subject = Lütfen e-posta adresinizi onaylayın
mail-confirm-body =
    Merhaba,

    lütfen Amtsweg başvuru portalı için e-posta adresinizi onaylayın:
    { $link }

    Hesap oluşturmadıysanız bu e-postayı dikkate almayabilirsiniz.

    Amtsweg – Kuzey Ren-Vestfalya Göç İdaresi

## Değerler

role-platform_operator = Platform işletimi
role-ministry_analyst = Bakanlık (analiz)
role-tenant_admin = Kurum yöneticisi
role-clerk = Dosya sorumlusu
role-approver = İmza yetkilisi
role-applicant = Başvuru sahibi
kind-ministry = Bakanlık
kind-bezirksregierung = Bölge yönetimi
kind-zab = Merkezi yabancılar dairesi
kind-abh = Yabancılar dairesi
kind-einbuergerungsbehoerde = Vatandaşlık dairesi
lifecycle-catalogued = katalogda
lifecycle-invited = davet edildi
lifecycle-onboarding = bağlanıyor
lifecycle-live = işletimde
lifecycle-suspended = askıya alındı
lifecycle-offboarded = ayrıldı
status-active = etkin
status-disabled = devre dışı
vendor-advis = ADVIS (Kommunix)
vendor-ok_visa = OK.VISA (AKDB)
vendor-other = başka yazılım
vendor-unknown = bilinmiyor

account-heading = Hesabınız
account-sign-out-everywhere-hint = Bir cihazınızı kaybettiyseniz veya başka bir bilgisayarda oturumu kapatmayı unuttuysanız, tüm oturumlarınızı buradan sonlandırın.
account-sign-out-everywhere = Tüm cihazlarda oturumu kapat
users-role-label = { $name } rolü
users-role-change = Değiştir
flash-role-changed = Rol değiştirildi.
