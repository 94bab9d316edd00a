/**
 * What the binder says on the page: a blocked popup's notice. (The question before a second call
 * comes from the running popup, in its language: the binder carries no catalogue for it.)
 */
export interface BinderStrings {
  popupBlocked: string;
  openCall: string;
  dismiss: string;
}

/**
 * The binder's strings per language, in that order, joined by '|': the binder rides on every page
 * of a site and has a 3 KB budget, and twelve languages as objects cost it a tenth of that.
 */
const STRINGS: Record<string, string> = {
  en: 'Your browser blocked the call window.|Open the call window|Dismiss',
  de: 'Ihr Browser hat das Anruffenster blockiert.|Anruffenster öffnen|Schließen',
  fr: 'Votre navigateur a bloqué la fenêtre d’appel.|Ouvrir la fenêtre d’appel|Fermer',
  es: 'Su navegador bloqueó la ventana de llamada.|Abrir la ventana de llamada|Cerrar',
  it: 'Il browser ha bloccato la finestra di chiamata.|Apri la finestra di chiamata|Chiudi',
  nl: 'Uw browser heeft het belvenster geblokkeerd.|Het belvenster openen|Sluiten',
  pt: 'O seu navegador bloqueou a janela de chamada.|Abrir a janela de chamada|Fechar',
  pl: 'Przeglądarka zablokowała okno połączenia.|Otwórz okno połączenia|Zamknij',
  sv: 'Webbläsaren blockerade samtalsfönstret.|Öppna samtalsfönstret|Stäng',
  da: 'Din browser blokerede opkaldsvinduet.|Åbn opkaldsvinduet|Luk',
  cs: 'Prohlížeč zablokoval okno hovoru.|Otevřít okno hovoru|Zavřít',
  tr: 'Tarayıcınız arama penceresini engelledi.|Arama penceresini aç|Kapat',
};

export const BINDER_LANGUAGES = /* @__PURE__ */ Object.keys(STRINGS);

/** The binder's strings in `lang`, or English. */
export function binderStrings(lang: string): BinderStrings {
  const [popupBlocked, openCall, dismiss] = (STRINGS[lang] ?? STRINGS.en).split('|');
  return { popupBlocked, openCall, dismiss };
}
