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
      // Those who can change the server's setup hear that its limits are site-wide; the flag is
      // this process's own, so another process behind the same proxy may not have seen it yet.
      const proxyUntrusted = s.forwarding.seenWithoutTrust && staff.permissions.has('settings.manage');
      return reply.page(h(ConsoleHomePage, { cards, keysUnlocked: staff.keyPair !== undefined, setupDemo: request.settings.demo, proxyUntrusted }));
    },
  });
}
