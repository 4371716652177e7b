import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { consoleRoute } from '../../core/auth/console-route.ts';
import type { AppServices, ConsoleCard } from '../../core/module.ts';
import { ConsoleHomePage } from './views/console-home.tsx';

export function registerConsoleHome(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console',
    access: 'console.use',
    handler: async ({ staff, ctx }, request, reply) => {
      const cards: ConsoleCard[] = [];
      for (const provider of s.consoleCards) {
        if (staff.permissions.has(provider.permission)) cards.push(...(await provider.load(ctx)));
      }
      return reply.page(h(ConsoleHomePage, { cards, keysUnlocked: staff.keyPair !== undefined, setupDemo: request.settings.demo }));
    },
  });
}
