import { z } from 'zod';
import { contextFor, SYSTEM } from '../../../core/context.ts';
import { defineJob } from '../../../core/jobs/queue.ts';
import type { AppServices } from '../../../core/module.ts';
import { sendCureAlerts, sendMissingDigests } from './service.ts';

export const ALERTS_EVERY_MS = 3600_000;

/** Inspectors' e-mails: both run hourly and are safe to run twice (each alert has its marker row). */
export function scheduleAlertJobs(s: AppServices): void {
  const ctx = contextFor(s, SYSTEM);
  s.jobs.schedule(defineJob({ name: 'map1193.cure_alerts', payload: z.object({}), attempts: 3, perform: async () => void (await sendCureAlerts(ctx)) }), ALERTS_EVERY_MS);
  s.jobs.schedule(defineJob({ name: 'map1193.missing_digest', payload: z.object({}), attempts: 3, perform: async () => void (await sendMissingDigests(ctx)) }), ALERTS_EVERY_MS);
}
