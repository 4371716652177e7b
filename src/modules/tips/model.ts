import type { Sign, TipKind, MinorAnswer } from './tables.ts';

/** A time cut to its hour: the only precision kept for anything a tipster does. */
export function hourOf(date: Date): string {
  const hour = new Date(date.getTime());
  hour.setUTCMinutes(0, 0, 0);
  return hour.toISOString();
}

/** The tipster's answers, stored as one encrypted JSON part. */
export type TipAnswers = {
  whatHappened: string;
  kind: TipKind;
  where: { address?: string; city?: string; business?: string; details?: string };
  when?: string;
  people: { count?: string; ages?: string };
  minor: MinorAnswer;
  danger: 'yes' | 'no';
  signs: Sign[];
  signsOther?: string;
  vehicles?: string;
  phones?: string;
  online?: string;
};

/** Name, type and size of a file, encrypted beside its bytes. */
export type FileMeta = { name: string; mime: string; size: number };

/** The short reference staff read and type: the first 8 characters of the tip id. */
export const tipReference = (id: string) => id.slice(0, 8);
