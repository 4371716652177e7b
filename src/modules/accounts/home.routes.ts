import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AppServices, ConsoleCard } from '../../core/module.ts';
import { consoleRoute } from './guard.ts';
import { ConsoleHomePage } from './views/console-home.tsx';

export function registerConsoleHome(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/console',
    access: 'console.use',
    handler: async (request, reply) => {
      const staff = request.staff!;
      const cards: ConsoleCard[] = [];
      for (const provider of s.consoleCards) {
        if (staff.permissions.has(provider.permission as never)) cards.push(...(await provider.load(s, staff.account.id)));
      }
      return reply.page(h(ConsoleHomePage, { cards, keysUnlocked: staff.keyPair !== undefined, setupDemo: request.settings.demo }));
    },
  });
}
