/**
 * The notice itself, in each language the law may require. This is legal text, not interface
 * text: each block prints in its own language whatever language the page is shown in, so it
 * lives here and not in the locale catalogs. It follows § 52.6(d) and the state's model notice;
 * the numbers come from the notice rule in force, never from this file.
 */
export type NoticeText = {
  /** BCP 47 tag for the block's lang attribute. */
  lang: string;
  heading: string;
  intro: string;
  /** One line per way to get help; `{text}`, `{national}`, `{cast}` are the rule's numbers. */
  textLine: string;
  nationalLine: string;
  castLine: string;
  outro: string;
  protected: string;
  hotlinesAre: string;
  hotlineFacts: string[];
};

const en: NoticeText = {
  lang: 'en',
  heading: 'Help is available',
  intro:
    'If you or someone you know is being forced to engage in any activity and cannot leave, whether it is commercial sex, housework, farm work, construction, factory, retail, or restaurant work, or any other activity:',
  textLine: 'text {text}',
  nationalLine: 'or call the National Human Trafficking Hotline at {national}',
  castLine: 'or the California Coalition to Abolish Slavery and Trafficking (CAST) at 1-888-KEY-2-FREE or {cast}',
  outro: 'to access help and services.',
  protected: 'Victims of slavery and human trafficking are protected under United States and California law.',
  hotlinesAre: 'The hotlines are:',
  hotlineFacts: [
    'Available 24 hours a day, 7 days a week.',
    'Toll-free.',
    'Operated by nonprofit, nongovernmental organizations.',
    'Anonymous and confidential.',
    'Accessible in more than 160 languages.',
    'Able to provide help, referral to services, training, and general information.',
  ],
};

const es: NoticeText = {
  lang: 'es',
  heading: 'Hay ayuda disponible',
  intro:
    'Si usted o alguien que conoce está siendo obligado a realizar cualquier actividad y no puede irse, ya sea sexo comercial, trabajo doméstico, trabajo agrícola, construcción, trabajo en una fábrica, en una tienda o en un restaurante, o cualquier otra actividad:',
  textLine: 'envíe un mensaje de texto al {text}',
  nationalLine: 'o llame a la Línea Nacional contra la Trata de Personas al {national}',
  castLine: 'o a la Coalición de California para Abolir la Esclavitud y la Trata (CAST) al 1-888-KEY-2-FREE o {cast}',
  outro: 'para obtener ayuda y servicios.',
  protected: 'Las víctimas de la esclavitud y de la trata de personas están protegidas por las leyes de los Estados Unidos y de California.',
  hotlinesAre: 'Las líneas de ayuda:',
  hotlineFacts: [
    'Atienden las 24 horas del día, los 7 días de la semana.',
    'Son gratuitas.',
    'Son operadas por organizaciones sin fines de lucro y no gubernamentales.',
    'Son anónimas y confidenciales.',
    'Atienden en más de 160 idiomas.',
    'Pueden brindar ayuda, remisión a servicios, capacitación e información general.',
  ],
};

const zhHant: NoticeText = {
  lang: 'zh-Hant',
  heading: '您可以獲得幫助',
  intro: '如果您或您認識的人被迫從事任何活動而無法離開，無論是商業性交易、家務、農場工作、建築、工廠、零售或餐廳工作，或任何其他活動：',
  textLine: '請傳送簡訊至 {text}',
  nationalLine: '或致電全國人口販運熱線 {national}',
  castLine: '或致電加州廢除奴役與人口販運聯盟（CAST）1-888-KEY-2-FREE 或 {cast}',
  outro: '以獲得幫助和服務。',
  protected: '奴役和人口販運的受害者受美國和加州法律的保護。',
  hotlinesAre: '這些熱線：',
  hotlineFacts: [
    '每週 7 天、每天 24 小時提供服務。',
    '免費撥打。',
    '由非營利、非政府組織營運。',
    '匿名且保密。',
    '提供超過 160 種語言的服務。',
    '可提供幫助、服務轉介、培訓和一般資訊。',
  ],
};

/**
 * Until SB 225 took effect on January 1, 2019 the notice gave no text line, and the federal line
 * was still called the National Human Trafficking Resource Center (its name in § 52.6 as
 * enacted): the wording of that version, where it differs from today's.
 */
const SB_225 = '2019-01-01';
const before2019: Record<string, Pick<NoticeText, 'nationalLine'>> = {
  en: { nationalLine: 'call the National Human Trafficking Resource Center at {national}' },
  es: { nationalLine: 'llame al Centro Nacional de Recursos contra la Trata de Personas al {national}' },
  'zh-Hant': { nationalLine: '請致電全國人口販運資源中心 {national}' },
};

/** The federal line's name in English as the notice version that took effect on `since` gives it. */
/** True for a notice version from before SB 225: the federal line's old name, and no text line. */
export const beforeSb225 = (since: string) => since < SB_225;

export const nationalHotlineName = (since: string) =>
  beforeSb225(since) ? 'National Human Trafficking Resource Center' : 'National Human Trafficking Hotline';

/** Texts by the language names the rules and the office's settings use. */
const byName: Record<string, NoticeText> = { english: en, spanish: es, chinese: zhHant };

/**
 * The notice text for a language name ("Chinese") in the wording of the notice version that
 * took effect on `since` (YYYY-MM-DD), or undefined when we do not have that language yet.
 */
export function noticeText(languageName: string, since: string): NoticeText | undefined {
  const text = byName[languageName.trim().toLowerCase()];
  if (!text || since >= SB_225) return text;
  return { ...text, ...before2019[text.lang] };
}

export function fillNumbers(line: string, numbers: { text: string; national: string; cast: string }): string {
  return line.replace(/\{(text|national|cast)\}/g, (_, key: 'text' | 'national' | 'cast') => numbers[key]);
}
