// The layering of src/ as lint rules (see "Boundaries" in README.md). They resolve each relative
// import against the importing file, so they hold at any folder depth, where a pattern on the
// import string (`../x/repo.ts`) cannot tell a sibling folder from another module.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** A file's path from the repository root, with forward slashes. */
const fromRoot = (file) => path.relative(root, file).split(path.sep).join('/');

/** The repository path a relative import names; undefined for a package. */
function resolved(context, specifier) {
  return specifier.startsWith('.') ? fromRoot(path.resolve(path.dirname(context.filename), specifier)) : undefined;
}

/** `src/modules/<name>/<rest>` split into its module and the path inside it. */
function moduleOf(file) {
  const match = /^src\/modules\/([^/]+)(?:\/(.*))?$/.exec(file);
  return match ? { name: match[1], rest: match[2] ?? '' } : undefined;
}

/** The package a bare specifier loads (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Calls `check(specifier, typeOnly, node)` for every static import, re-export, literal dynamic
 * import and `import('…')` type. Only `import type` / `export type` count as type-only: under
 * verbatimModuleSyntax, `import { type X }` still loads the module at run time.
 */
function eachImport(check) {
  const literal = (node) => (node && node.type === 'Literal' && typeof node.value === 'string' ? node : undefined);
  const visit = (source, typeOnly) => {
    const node = literal(source);
    if (node) check(node.value, typeOnly, node);
  };
  return {
    ImportDeclaration: (node) => visit(node.source, node.importKind === 'type'),
    ExportNamedDeclaration: (node) => visit(node.source, node.exportKind === 'type'),
    ExportAllDeclaration: (node) => visit(node.source, node.exportKind === 'type'),
    ImportExpression: (node) => visit(node.source, false),
    TSImportType: (node) => visit(node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument, true),
  };
}

const coreImportsModule = {
  meta: {
    type: 'problem',
    docs: { description: 'core/ is what every module stands on; it imports no module' },
    schema: [],
    messages: { module: 'core/ must not import a module ({{target}}): move what core needs into core, or let the module hand it over from its index.ts.' },
  },
  create: (context) =>
    eachImport((specifier, _typeOnly, node) => {
      const target = resolved(context, specifier);
      if (target && moduleOf(target)) context.report({ node, messageId: 'module', data: { target } });
    }),
};

const moduleImportsModule = {
  meta: {
    type: 'problem',
    docs: { description: "another module is entered through its index.ts only (outside modules, type-only imports of its tables.ts too)" },
    schema: [],
    messages: { private: '{{target}} belongs to the {{module}} module: import what you need from src/modules/{{module}}/index.ts (export it there).' },
  },
  create(context) {
    const own = moduleOf(fromRoot(context.filename))?.name;
    return eachImport((specifier, typeOnly, node) => {
      const target = resolved(context, specifier);
      const other = target && moduleOf(target);
      if (!other || other.name === own || other.rest === 'index.ts') return;
      // The root database type is composed from every module's tables, and only their types.
      if (own === undefined && typeOnly && other.rest === 'tables.ts') return;
      context.report({ node, messageId: 'private', data: { target, module: other.name } });
    });
  },
};

const clientImportsServer = {
  meta: {
    type: 'problem',
    docs: { description: 'browser code imports only src/client/ and the packages listed' },
    schema: [
      {
        type: 'object',
        properties: {
          allow: {
            type: 'array',
            items: {
              type: 'object',
              properties: { from: { type: 'string' }, typeOnly: { type: 'boolean' } },
              required: ['from'],
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      server: 'Browser code must not import {{target}}: the bundle would carry server code. Move what both sides need into src/client/, or list a pure shared file in eslint.config.js.',
      typeOnly: '{{target}} may be imported by browser code only with `import type`.',
    },
  },
  create(context) {
    const allow = new Map((context.options[0]?.allow ?? []).map((a) => [a.from, a]));
    return eachImport((specifier, typeOnly, node) => {
      const target = resolved(context, specifier) ?? packageOf(specifier);
      if (target.startsWith('src/client/')) return;
      const allowed = allow.get(target);
      if (!allowed) context.report({ node, messageId: 'server', data: { target } });
      else if (allowed.typeOnly && !typeOnly) context.report({ node, messageId: 'typeOnly', data: { target } });
    });
  },
};

const routeImportsRepo = {
  meta: {
    type: 'problem',
    docs: { description: 'routes parse, authorise, call a service and render; queries live behind services' },
    schema: [],
    messages: { repo: 'A route must not import {{target}}: call a service function that does the query (a row type may come in with `import type`).' },
  },
  create: (context) =>
    eachImport((specifier, typeOnly, node) => {
      const target = resolved(context, specifier);
      if (!target || typeOnly) return;
      const base = path.posix.basename(target);
      if (base === 'repo.ts' || base.endsWith('.repo.ts')) context.report({ node, messageId: 'repo', data: { target } });
    }),
};

/** The `boundaries/*` rules; eslint.config.js says which files each applies to. */
export default {
  meta: { name: 'heatwatch-boundaries' },
  rules: {
    'core-imports-module': coreImportsModule,
    'module-imports-module': moduleImportsModule,
    'client-imports-server': clientImportsServer,
    'route-imports-repo': routeImportsRepo,
  },
};
