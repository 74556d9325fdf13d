import { fileURLToPath } from 'node:url';
import type { JsonSchema } from '../compile/json-schema.js';
import { ajvCompiler } from '../compile/validator-module.js';

/** One schema object's validator to bundle: the name its module is imported under and its schema. */
export interface BundledValidator {
  /** Identifier the entry source imports the validator as (`import <id> from 'meshkit:validator/<id>'`). */
  id: string;
  /** JSON Schema 2019-09 of one record. */
  schema: JsonSchema;
}

/** ajv options of every shipped validator (also what the benchmark compiles at run time). */
export const PACKAGE_AJV_OPTIONS = { allErrors: true, strict: false } as const;

/** Directory esbuild resolves `ajv` and `ajv-formats` from: this package (src/ and dist/ alike). */
const RESOLVE_DIR = fileURLToPath(new URL('../..', import.meta.url));

/**
 * CommonJS source of an ajv standalone validator (2019-09, ajv-formats, {@link PACKAGE_AJV_OPTIONS}).
 * Its helpers are still `require()`d from `ajv` and `ajv-formats`: {@link bundleModule} inlines them.
 */
export function standaloneValidatorSource(schema: JsonSchema): string {
  const { Ajv2019, standaloneCode, addFormats } = ajvCompiler();
  const ajv = new Ajv2019({ ...PACKAGE_AJV_OPTIONS, code: { source: true, lines: false, optimize: true } });
  addFormats(ajv);
  return standaloneCode(ajv, ajv.compile(schema));
}

/**
 * Bundles `entry` (ESM source importing `meshkit:validator/<id>` default exports) with the
 * standalone validators into ONE self-contained ES module: the few ajv runtime helpers the code
 * uses (`ucs2length`, `equal`, the ajv-formats checks) are inlined, so the output imports nothing.
 * esbuild is loaded lazily (only builds need it).
 */
export async function bundleModule(entry: string, validators: BundledValidator[]): Promise<string> {
  const sources = new Map(validators.map((v) => [v.id, standaloneValidatorSource(v.schema)]));
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: { contents: entry, loader: 'js', resolveDir: RESOLVE_DIR, sourcefile: 'index.js' },
    bundle: true,
    absWorkingDir: RESOLVE_DIR,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'silent',
    mainFields: ['main', 'module'],
    plugins: [
      {
        name: 'meshkit-validators',
        setup(build) {
          build.onResolve({ filter: /^meshkit:validator\// }, (args) => ({
            path: args.path.slice('meshkit:validator/'.length),
            namespace: 'meshkit-validator',
          }));
          build.onLoad({ filter: /.*/, namespace: 'meshkit-validator' }, (args) => ({
            contents: sources.get(args.path) ?? '',
            loader: 'js',
            resolveDir: RESOLVE_DIR,
          }));
        },
      },
    ],
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
}
