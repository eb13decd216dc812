/** Mobile and client sign-offs per locale, from the same sources as the quote headers (quote-header-templates.ts). */
import type { QuoteClient } from './quote-header-templates.ts';

/**
 * What clients append to a reply, per locale: "Sent from my iPhone", "Get Outlook for iOS", … A line that
 * starts with one of these (a device name may follow) is a client's, not the customer's (signature.ts).
 */
export const SIGN_OFFS: Record<string, string[]> = {
  en: [
    'Sent from my iPhone',
    'Sent from my iPad',
    'Sent from my Android',
    'Get Outlook for iOS',
    'Get Outlook for Android',
    'Sent from Outlook for iOS',
    'Sent from Yahoo Mail for iPhone',
    'Sent from Yahoo Mail on Android',
    'Sent with Proton Mail secure email.',
    'Sent with ProtonMail Secure Email.',
    'Sent with Spark',
    'Sent from my Android device with K-9 Mail. Please excuse my brevity.',
    'Sent from Mail for Windows',
  ],
  fr: [
    'Envoyé de mon iPhone',
    'Envoyé de mon iPad',
    'Télécharger Outlook pour iOS',
    'Télécharger Outlook pour Android',
    'Envoyé de Outlook pour iOS',
    'Envoyé de Yahoo Mail pour Android',
    'Envoyé avec Spark',
  ],
  de: [
    'Von meinem iPhone gesendet',
    'Von meinem iPad gesendet',
    'Outlook für iOS herunterladen',
    'Outlook für Android herunterladen',
    'Gesendet von Outlook für Android',
    'Von Yahoo Mail auf Android gesendet',
    'Gesendet mit Spark',
    'Gesendet von meinem Android-Gerät mit K-9 Mail. Bitte entschuldigen Sie die Kürze.',
  ],
  es: [
    'Enviado desde mi iPhone',
    'Enviado desde mi iPad',
    'Obtener Outlook para iOS',
    'Obtener Outlook para Android',
    'Enviado desde Yahoo Mail para Android',
    'Enviado con Spark',
  ],
  it: [
    'Inviato da iPhone',
    'Inviato da iPad',
    'Scarica Outlook per iOS',
    'Scarica Outlook per Android',
    'Inviato da Yahoo Mail su Android',
    'Inviato con Spark',
  ],
  pt: [
    'Enviado do meu iPhone',
    'Enviado do meu iPad',
    'Obter o Outlook para iOS',
    'Obter o Outlook para Android',
    'Enviado do Yahoo Mail para Android',
  ],
  nl: [
    'Verstuurd vanaf mijn iPhone',
    'Verstuurd vanaf mijn iPad',
    'Outlook voor iOS downloaden',
    'Outlook voor Android downloaden',
  ],
  sv: ['Skickat från min iPhone', 'Skickat från min iPad', 'Skaffa Outlook för iOS', 'Skaffa Outlook för Android'],
  da: ['Sendt fra min iPhone', 'Sendt fra min iPad', 'Hent Outlook til iOS', 'Hent Outlook til Android'],
  nb: ['Sendt fra min iPhone', 'Sendt fra min iPad', 'Få Outlook for iOS', 'Få Outlook for Android'],
  fi: ['Lähetetty iPhonesta', 'Lähetetty iPadista', 'Hanki Outlook for iOS', 'Hanki Outlook for Android'],
  pl: [
    'Wysłane z iPhone’a',
    "Wysłane z iPhone'a",
    'Pobierz aplikację Outlook dla systemu iOS',
    'Pobierz Outlook dla systemu Android',
  ],
  cs: ['Odesláno z iPhonu', 'Odesláno z iPadu', 'Stáhněte si Outlook pro iOS', 'Stáhněte si Outlook pro Android'],
  ru: ['Отправлено с iPhone', 'Отправлено с iPad', 'Скачайте Outlook для iOS', 'Скачайте Outlook для Android'],
  uk: ['Надіслано з iPhone', 'Надіслано з iPad', 'Отримати Outlook для iOS', 'Отримати Outlook для Android'],
  tr: [
    "iPhone'umdan gönderildi",
    "iPad'imden gönderildi",
    "iOS için Outlook'u edinin",
    "Android için Outlook'u edinin",
  ],
  ja: ['iPhoneから送信', 'iPadから送信', 'iOS 版 Outlook を入手', 'Android 版 Outlook を入手'],
  zh: ['发自我的iPhone', '发自我的 iPhone', '发自我的iPad', '获取 Outlook for iOS', '获取 Outlook for Android'],
};

/** Which sign-offs each client appends (the generator picks from these), by the words they contain. */
export const CLIENT_SIGN_OFF: Partial<Record<QuoteClient, RegExp>> = {
  'apple-mail': /iPhone|iPad|iPhonesta|iPhonu|iPhone’a/,
  'outlook-mobile': /Outlook/,
  yahoo: /Yahoo/,
  proton: /Proton/,
  spark: /Spark/,
  k9: /K-9/,
};
