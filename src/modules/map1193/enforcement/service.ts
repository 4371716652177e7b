import type { Context } from '../../../core/context.ts';
import { businessesChanged } from '../businesses/service.ts';
import { listCategories } from '../rules/categories.service.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import { DomainError } from '../../../core/errors.ts';
import { applyStep, type CaseAction, caseFrom, cureDue, type Deficiency, formatCaseNumber, nextActions, parseDeficiencies, penaltyAmount, STEP_EFFECT, type StepRefusal } from './enforcement.ts';
import * as cases from './repo.ts';
import { letterHash, renderNoticeLetter } from './notice-letter.ts';
import { staffDirectory } from '../../accounts/index.ts';
import type { Db } from '../../../database.ts';
import { casePhotoContext, type CleanPhoto, openPhoto, sealPhoto } from '../shared/photos.ts';
import * as repo from '../businesses/repo.ts';
import { lawDay } from '../rules/rules.ts';
import { rulesOn } from '../rules/service.ts';
import type { CaseRow } from '../tables.ts';
import { communitiesOf, communityOf, communitySince, NO_REPORTS } from '../reports/community.ts';
import * as reports from '../reports/repo.ts';

/**
 * A notice or penalty with no penalty rule in force: the law as data has no cure period or
 * amount to apply, until an administrator sets one.
 */
export class NoPenaltyRuleError extends DomainError {
  constructor() {
    super('conflict', { message: 'no penalty rule in force', messageKey: 'map.enforcement.errors.noPenaltyRule' });
  }
}

export const QUEUE_LIMIT = 200;
/** How many photos one visit record may carry. */
export const MAX_STEP_PHOTOS = 6;
const CASE_FILE_REPORTS = 20;

/**
 * The inspection queue, oldest report first, optionally for one city; with the cities to filter
 * by, and each business's community picture so reports that disagree show as such.
 */
export async function inspectionQueue(ctx: Pick<Context, 'db' | 'clock'>, city: string | undefined) {
  const [rows, cities] = await Promise.all([cases.inspectionQueue(ctx.db, city, QUEUE_LIMIT), cases.queueCities(ctx.db)]);
  const communities = communitiesOf(await reports.observationCounts(ctx.db, rows.map((r) => r.id), communitySince(ctx.clock.now())));
  return { rows: rows.map((r) => ({ ...r, community: communities.get(r.id) ?? NO_REPORTS })), cities };
}

/** One business's cases with their steps and notices, and what the inspector may do next. */
export async function caseFile(ctx: Pick<Context, 'db' | 'clock'>, businessId: string) {
  const business = await repo.findBusiness(ctx.db, businessId);
  if (!business) return undefined;
  const all = await cases.casesOf(ctx.db, businessId);
  const ids = all.map((c) => c.id);
  const [steps, notices, photos, recent, counts] = await Promise.all([
    cases.stepsOf(ctx.db, ids),
    cases.noticesOf(ctx.db, ids),
    cases.casePhotosOf(ctx.db, ids),
    cases.reportsForInspection(ctx.db, businessId, CASE_FILE_REPORTS),
    reports.observationCounts(ctx.db, [businessId], communitySince(ctx.clock.now())),
  ]);
  const open = all.find((c) => caseFrom(c.stage) !== 'none');
  return { business, cases: all, steps, notices, photos, reports: recent, community: communityOf(counts), open, next: nextActions(open ? open.stage : 'none') };
}

/**
 * The case file as an inspector opens it to work on: it shows what reporters wrote, so opening
 * it is audited like opening a tip. Undefined for a business that does not exist.
 */
export async function openCaseFile(ctx: Context, businessId: string) {
  const file = await caseFile(ctx, businessId);
  if (file) await auditRead(ctx, 'map1193.case_file_open', 'map1193.business', file.business.id);
  return file;
}

/** A read of reporters' words or photos, in the audit chain under the staff member reading. */
async function auditRead(ctx: Context, action: string, targetType: string, targetId: string): Promise<void> {
  await ctx.db.transaction().execute((trx) => ctx.audit(trx, { action, targetType, targetId }));
}

/** A step as the inspector records it; photos are already re-encoded and are sealed with `photoKey`. */
export type StepInput = { action: CaseAction; notes?: string; deficiencies?: readonly Deficiency[]; photos?: { key: Uint8Array; clean: CleanPhoto[] } };
export type StepResult = { ok: true; caseId: string } | { ok: false; problem: StepRefusal | 'map.enforcement.errors.changed' | 'gone' };

/**
 * One step of the workflow in one transaction: the case row, its step, the notice letter (when
 * sending one), the business's public status and its history event, and the audit row.
 */
export async function takeStep(ctx: Context, businessId: string, input: StepInput): Promise<StepResult> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const result = await ctx.db.transaction().execute(async (trx): Promise<StepResult> => {
    const business = await repo.lockBusinessStatus(trx, businessId, ctx.dialect);
    const full = await repo.findBusiness(trx, businessId);
    if (!business || !full) return { ok: false, problem: 'gone' };
    const open = await cases.openCaseOf(trx, businessId);
    const from = open ? open.stage : 'none';
    const step = applyStep(from, input.action, now, open?.cureDueAt ?? null);
    if (!step.ok) return step;
    const rules = await rulesOn({ db: trx, settings: ctx.settings }, now);
    let caseId = open?.id;
    const patch: Partial<CaseRow> = { stage: step.to, updatedAt: at };
    if (['compliant', 'cured', 'paid', 'referred'].includes(step.to)) patch.closedAt = at;
    let notice: { id: string; sha256: string } | undefined;
    if (input.action === 'send_notice') {
      const penalty = rules.penalty;
      if (!penalty) throw new NoPenaltyRuleError();
      const due = cureDue(now, penalty.cureDays);
      patch.noticeSentAt = at;
      patch.cureDueAt = due.toISOString();
      const letter = await issueLetter(ctx, trx, { kase: open!, business: full, now, cureDay: lawDay(due, (await ctx.settings.get()).timeZone), rules, penalty });
      notice = { id: newId(), sha256: letterHash(letter) };
      await cases.insertNotice(trx, { id: notice.id, caseId: caseId!, businessId, letter, sha256: notice.sha256, createdAt: at, format: 'html' });
    }
    if (input.action === 'reinspect_failed') {
      if (!rules.penalty) throw new NoPenaltyRuleError();
      patch.penaltyUsd = penaltyAmount(rules.penalty, await cases.countPenalties(trx, businessId));
    }
    if (!open) {
      caseId = newId();
      const year = Number(lawDay(now, (await ctx.settings.get()).timeZone).slice(0, 4));
      const caseNumber = formatCaseNumber(year, await cases.nextCaseNumber(trx, year));
      await cases.insertCase(trx, { id: caseId, businessId, stage: step.to, openedAt: at, noticeSentAt: null, cureDueAt: null, penaltyUsd: null, closedAt: patch.closedAt ?? null, updatedAt: at, caseNumber });
    } else if (!(await cases.updateCase(trx, open.id, open.stage, patch))) {
      return { ok: false, problem: 'map.enforcement.errors.changed' };
    }
    const stepId = newId();
    const photos = input.photos?.clean ?? [];
    // The audit row first, so the step can keep its seq: the case record names it, and
    // `heatwatch audit verify` vouches for the row (with the letter's SHA-256 in it).
    const auditSeq = await ctx.audit(trx, {
      action: `map1193.case.${input.action}`,
      targetType: 'map1193.case',
      targetId: caseId!,
      detail: { businessId, stepId, from, to: step.to, noticeId: notice?.id ?? null, letterSha256: notice?.sha256 ?? null, penaltyUsd: patch.penaltyUsd ?? null, photos: photos.length },
    });
    const deficiencies = input.action === 'visit_violation' || input.action === 'reinspect_failed' ? (input.deficiencies ?? []).join(',') : '';
    await cases.insertStep(trx, { id: stepId, caseId: caseId!, at, action: input.action, fromStage: from, toStage: step.to, actorId: ctx.actor.id, notes: input.notes?.trim() || null, deficiencies, auditSeq });
    for (const photo of photos) {
      const id = newId();
      const data = await sealPhoto(input.photos!.key, casePhotoContext(id), photo.bytes);
      await cases.insertCasePhoto(trx, { id, caseId: caseId!, stepId, mime: photo.mime, width: photo.width, height: photo.height, size: photo.bytes.length, data, createdAt: at });
    }
    // The step is the inspector's answer to whatever put the business on the queue.
    await reports.dequeue(trx, businessId);
    const effect = STEP_EFFECT[input.action];
    const toStatus = effect.status ?? business.status;
    if (toStatus !== business.status) await repo.setBusinessStatus(trx, businessId, toStatus, at);
    // The public history: a dated status, never the inspector (their name is in the audit trail).
    await repo.insertStatusEvent(trx, { id: newId(), businessId, at, fromStatus: business.status, toStatus, cause: effect.cause, reportId: null, actorId: null });
    return { ok: true, caseId: caseId! };
  });
  // The official status is on the map: this process shows the step at once.
  businessesChanged(ctx.db);
  return result;
}

/** A staff member's name as a letter or record prints it (their e-mail when they have none). */
export async function staffName(db: Db, accountId: string | null, fallback: string): Promise<string> {
  if (!accountId) return fallback;
  const found = await staffDirectory.find(db, accountId);
  return found?.account.displayName || fallback;
}

type LetterCase = { kase: CaseRow; business: { name: string; address: string; city: string; category: string }; now: Date; cureDay: string; rules: Awaited<ReturnType<typeof rulesOn>>; penalty: NonNullable<Awaited<ReturnType<typeof rulesOn>>['penalty']> };

/**
 * The notice of violation as it goes out: the office's letterhead as set now, the inspector
 * sending it, what the visit found, the rules in force. Rendered once; the markup is stored.
 */
async function issueLetter(ctx: Context, trx: Db, { kase, business, now, cureDay, rules, penalty }: LetterCase): Promise<string> {
  const settings = await ctx.settings.get();
  const visit = await cases.violationVisitOf(trx, kase.id);
  const inspector = await staffName(trx, ctx.actor.id, ctx.actor.label);
  return renderNoticeLetter(ctx.catalogs, {
    office: { name: settings.officeName, address: settings.contactAddress, phone: settings.officePhone, logo: settings.letterheadLogo },
    inspector,
    caseNumber: kase.caseNumber ?? kase.id,
    business,
    categories: await listCategories({ db: trx }),
    deficiencies: visit ? parseDeficiencies(visit.deficiencies) : [],
    visitDay: lawDay(new Date(visit?.at ?? kase.openedAt), settings.timeZone),
    day: lawDay(now, settings.timeZone),
    cureDay,
    penalty,
    amountUsd: penaltyAmount(penalty, await cases.countPenalties(trx, kase.businessId)),
    rules,
    thirdLanguage: settings.noticeThirdLanguage,
    baseUrl: ctx.config.baseUrl,
  });
}

/** A stored notice of violation, unchanged, and whether its text still matches its SHA-256. */
export async function storedNotice(ctx: Pick<Context, 'db'>, id: string) {
  const notice = await cases.findNotice(ctx.db, id);
  if (!notice) return undefined;
  return { notice, intact: letterHash(notice.letter) === notice.sha256 };
}

/** A photo from a case file, decrypted, or undefined when there is none with that id. Audited. */
export async function casePhoto(ctx: Context, key: Uint8Array, id: string) {
  const row = await cases.findCasePhoto(ctx.db, id);
  if (!row) return undefined;
  const bytes = await openPhoto(key, casePhotoContext(id), row.data);
  await auditRead(ctx, 'map1193.photo_open', 'map1193.case_photo', id);
  return { mime: row.mime, bytes };
}

/** A report's photo, decrypted, for the inspector looking into that report. Audited. */
export async function reportPhoto(ctx: Context, key: Uint8Array, reportId: string) {
  const row = await repo.findPhoto(ctx.db, reportId);
  if (!row) return undefined;
  const bytes = await openPhoto(key, reportId, row.data);
  await auditRead(ctx, 'map1193.photo_open', 'map1193.report', reportId);
  return { mime: row.mime, bytes };
}
