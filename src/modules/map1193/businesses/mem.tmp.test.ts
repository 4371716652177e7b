import { it } from 'vitest';
import { createTestApp } from '../../../../test/helpers/app.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import { businessSnapshot } from './snapshot.ts';
it('mem', async () => {
  const t = await createTestApp();
  const rows = Array.from({ length: 100000 }, (_, i) => businessRow({ name: `Demo bar ${i}`, address: `${i % 9000} Example Street`, city: `Bench Town ${i % 40}`, lat: 37.5 + (i % 300) * 0.0002, lng: -122 + Math.floor(i / 300) * 0.0002 }));
  await insertBusinesses(t.app.services.db, rows);
  rows.length = 0;
  global.gc?.(); const before = process.memoryUsage();
  const s = await businessSnapshot({ db: t.app.services.db, clock: t.clock });
  global.gc?.(); const after = process.memoryUsage();
  console.log('MEM heap', ((after.heapUsed - before.heapUsed) / 1e6).toFixed(1), 'MB; external+arrayBuffers', (((after.external - before.external)) / 1e6).toFixed(1), 'MB', s.size);
  await t.close();
}, 300000);
