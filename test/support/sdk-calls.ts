import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { bundleOptions } from '#scripts/build.ts';
import { REPO_ROOT } from '#tools/repo-root.ts';

/**
 * What a function's code sends to AWS, found statically: which SDK commands its bundle can construct.
 *
 * 1. esbuild bundles the function as `npm run build` does, with every package left external, and its
 *    metafile names the repository files that made it into the bundle (their top-level code runs at
 *    cold start).
 * 2. A TypeScript program over those files follows references from the handler: a function,
 *    method or class is reached when reached code names it. A call through an interface member
 *    (`deps.repository.get`, typed `Pick<VideoRepository, 'get'>`) reaches that member in every class
 *    implementing the interface, so one class with many methods (the repository) counts only the
 *    methods the function can call. Closures inside reached code count as reached.
 * 3. In reached code, every `new XxxCommand(...)` imported from an AWS SDK package is a call, and so is
 *    `createPresignedPost` (the browser's POST is authorized as the signer: `s3:PutObject`).
 *    `getSignedUrl(client, new GetObjectCommand(...))` is found through its command.
 *
 * It over-approximates (a reached closure may never run) and never follows values typed `any`.
 */

/** AWS service prefix of each SDK package a function may import. */
export const SDK_PACKAGES: Readonly<Record<string, string>> = {
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
  '@aws-sdk/client-lambda': 'lambda',
  '@aws-sdk/client-mediaconvert': 'mediaconvert',
  '@aws-sdk/client-elastic-transcoder': 'elastictranscoder',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
};

/**
 * IAM actions of the commands whose action is not `<service>:<command name>`. Any other command maps
 * to its own name, which must be an action iam-data knows (the test says so when it is not).
 */
export const COMMAND_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  's3:HeadObject': ['s3:GetObject'],
  's3:ListObjects': ['s3:ListBucket'],
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:ListObjectVersions': ['s3:ListBucketVersions'],
  // Authorized per key: DeleteObject, and DeleteObjectVersion for the keys that name a version.
  's3:DeleteObjects': ['s3:DeleteObject', 's3:DeleteObjectVersion'],
  's3:CreateMultipartUpload': ['s3:PutObject'],
  's3:UploadPart': ['s3:PutObject'],
  's3:CompleteMultipartUpload': ['s3:PutObject'],
  's3:CopyObject': ['s3:GetObject', 's3:PutObject'],
  // The document client's commands wrap the low-level ones.
  'dynamodb:Get': ['dynamodb:GetItem'],
  'dynamodb:Put': ['dynamodb:PutItem'],
  'dynamodb:Update': ['dynamodb:UpdateItem'],
  'dynamodb:Delete': ['dynamodb:DeleteItem'],
  'dynamodb:BatchGet': ['dynamodb:BatchGetItem'],
  'dynamodb:BatchWrite': ['dynamodb:BatchWriteItem'],
  'dynamodb:TransactGet': ['dynamodb:GetItem'],
  'dynamodb:TransactWrite': ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  'lambda:Invoke': ['lambda:InvokeFunction'],
};

/** Functions of non-SDK packages that make the function's role authorize a request. */
const SIGNING_FUNCTIONS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  '@aws-sdk/s3-presigned-post': { createPresignedPost: ['s3:PutObject'] },
};

/** One call a function's code can make, and where. */
export interface FoundCall {
  /** IAM action, e.g. `dynamodb:UpdateItem`. */
  readonly action: string;
  /** What the code constructs, e.g. `UpdateCommand (@aws-sdk/lib-dynamodb)`. */
  readonly via: string;
  /** `file:line`, relative to the repository. */
  readonly at: string;
}

/** The repository files in one function's bundle, absolute paths. */
export async function bundledFiles(name: string): Promise<string[]> {
  const result = await build({
    ...bundleOptions(name, { outDir: join(REPO_ROOT, 'dist', 'sdk-calls') }),
    packages: 'external',
    write: false,
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
  });
  const inputs = Object.values(result.metafile?.outputs ?? {}).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => resolve(REPO_ROOT, path)),
  );
  return [...new Set(inputs)].sort();
}

/** A TypeScript program over `files` that resolves only the repository's own modules (fast: no SDK types). */
export function repositoryProgram(files: readonly string[]): ts.Program {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    types: [],
    lib: ['lib.es2023.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((literal) =>
      /^[.#]/.test(literal.text)
        ? ts.resolveModuleName(literal.text, containingFile, options, host)
        : { resolvedModule: undefined },
    );
  return ts.createProgram({ rootNames: [...files], options, host });
}

/**
 * Finds the AWS calls reachable from handlers in one program (see the module comment). Build it
 * once: it indexes which classes implement which interfaces.
 */
export class SdkCallScanner {
  private readonly checker: ts.TypeChecker;
  private readonly implementations = new Map<ts.InterfaceDeclaration, ts.ClassDeclaration[]>();

  constructor(private readonly program: ts.Program) {
    this.checker = program.getTypeChecker();
    for (const source of program.getSourceFiles()) {
      if (!isRepositoryCode(source)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isClassDeclaration(node)) {
          for (const implemented of this.interfacesOf(node)) {
            this.implementations.set(implemented, [...(this.implementations.get(implemented) ?? []), node]);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }

  /** Every AWS call reachable from `entry` (a handler file), given the files of its bundle. */
  callsFrom(entry: string, bundled: readonly string[]): FoundCall[] {
    const { program, checker } = this;
    const found = new Map<string, FoundCall>();
    const seen = new Set<ts.Node>();
    const queue: ts.Node[] = [];
    const enqueue = (node: ts.Node | undefined) => {
      if (node && !seen.has(node)) {
        seen.add(node);
        queue.push(node);
      }
    };
    const record = (action: string, via: string, node: ts.Node) => {
      const source = node.getSourceFile();
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      const at = `${relative(REPO_ROOT, source.fileName)}:${line}`;
      found.set(`${action} ${via} ${at}`, { action, via, at });
    };

    for (const file of bundled) {
      const source = program.getSourceFile(file);
      if (!source) throw new Error(`${relative(REPO_ROOT, file)} is in the bundle but not in the program.`);
      enqueue(source);
    }
    const entrySource = program.getSourceFile(entry);
    const entryModule = entrySource && checker.getSymbolAtLocation(entrySource);
    if (!entryModule) throw new Error(`No module ${relative(REPO_ROOT, entry)} in the program.`);
    // Lambda calls the handler's exports.
    for (const symbol of checker.getExportsOfModule(entryModule)) {
      for (const declaration of symbol.declarations ?? []) enqueue(unitOf(declaration));
    }

    const visitor = (topLevel: boolean) => {
      const visit = (node: ts.Node): void => {
        // Imports name what they bind without running it; types never run.
        if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isTypeNode(node)) return;
        if (topLevel && isDeferred(node)) return;
        if (ts.isNewExpression(node)) this.sdkCommand(node, record);
        if (ts.isIdentifier(node)) this.reference(node, record, enqueue);
        ts.forEachChild(node, visit);
      };
      return visit;
    };
    for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
      if (ts.isSourceFile(unit)) {
        ts.forEachChild(unit, visitor(true));
      } else if (ts.isClassDeclaration(unit)) {
        // Constructing a class runs its constructor and field initializers, not its methods.
        for (const member of unit.members) {
          if (ts.isConstructorDeclaration(member) || ts.isPropertyDeclaration(member)) visitor(false)(member);
        }
      } else {
        visitor(false)(unit);
      }
    }
    return [...found.values()].sort((a, b) => a.action.localeCompare(b.action) || a.at.localeCompare(b.at));
  }

  private sdkCommand(node: ts.NewExpression, record: Recorder): void {
    if (!ts.isIdentifier(node.expression)) return;
    const name = node.expression.text;
    const from = this.externalImport(node.expression);
    if (!from || !name.endsWith('Command')) return;
    const service = SDK_PACKAGES[from];
    if (!service) {
      throw new Error(
        `${name} comes from ${from}, which SDK_PACKAGES in test/support/sdk-calls.ts does not map to an IAM service; add it.`,
      );
    }
    const operation = `${service}:${name.slice(0, -'Command'.length)}`;
    for (const action of COMMAND_ACTIONS[operation] ?? [operation]) record(action, `${name} (${from})`, node);
  }

  private reference(
    node: ts.Identifier,
    record: Recorder,
    enqueue: (node: ts.Node | undefined) => void,
  ): void {
    const { checker } = this;
    const from = this.externalImport(node);
    if (from) {
      for (const action of SIGNING_FUNCTIONS[from]?.[node.text] ?? [])
        record(action, `${node.text} (${from})`, node);
      return;
    }
    const symbol = ts.isShorthandPropertyAssignment(node.parent)
      ? checker.getShorthandAssignmentValueSymbol(node.parent)
      : checker.getSymbolAtLocation(node);
    if (!symbol) return;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    for (const declaration of target.declarations ?? []) {
      if (!isRepositoryCode(declaration)) continue;
      if (ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) {
        for (const member of this.implementationsOf(declaration)) enqueue(unitOf(member));
      } else {
        enqueue(unitOf(declaration));
      }
    }
  }

  /** The package an identifier is imported from, when it is a package (not a repository module). */
  private externalImport(node: ts.Identifier): string | undefined {
    const declaration = this.checker.getSymbolAtLocation(node)?.declarations?.[0];
    if (!declaration || !(ts.isImportSpecifier(declaration) || ts.isImportClause(declaration)))
      return undefined;
    let parent: ts.Node = declaration;
    while (!ts.isImportDeclaration(parent)) parent = parent.parent;
    const specifier = (parent.moduleSpecifier as ts.StringLiteral).text;
    return /^[.#]/.test(specifier) ? undefined : specifier;
  }

  /** The members implementing an interface member, in every class that implements the interface. */
  private implementationsOf(member: ts.MethodSignature | ts.PropertySignature): ts.ClassElement[] {
    const owner = member.parent;
    if (!ts.isInterfaceDeclaration(owner)) return [];
    const name = member.name.getText();
    return (this.implementations.get(owner) ?? []).flatMap((cls) =>
      cls.members.filter((m) => m.name?.getText() === name),
    );
  }

  /** The interfaces a class implements, and the ones those extend. */
  private interfacesOf(node: ts.ClassDeclaration | ts.InterfaceDeclaration): ts.InterfaceDeclaration[] {
    return (node.heritageClauses ?? []).flatMap((clause) =>
      clause.types.flatMap((type) => {
        const symbol = this.checker.getSymbolAtLocation(type.expression);
        const target =
          symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
        return (target?.declarations ?? [])
          .filter(ts.isInterfaceDeclaration)
          .flatMap((declaration) => [declaration, ...this.interfacesOf(declaration)]);
      }),
    );
  }
}

type Recorder = (action: string, via: string, node: ts.Node) => void;

/** Declarations a module's top level defines but does not run: entered only when named. */
function isDeferred(node: ts.Node): boolean {
  if (
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node)
  ) {
    return true;
  }
  return ts.isVariableDeclaration(node) && node.initializer !== undefined && isFunctionLike(node.initializer);
}

function isFunctionLike(node: ts.Node): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** What runs when a declaration is named: the function, the method, the class, a function-valued const. */
function unitOf(declaration: ts.Node): ts.Node | undefined {
  if (ts.isVariableDeclaration(declaration)) return declaration.initializer;
  if (
    ts.isFunctionDeclaration(declaration) ||
    ts.isMethodDeclaration(declaration) ||
    ts.isClassDeclaration(declaration) ||
    ts.isPropertyDeclaration(declaration) ||
    ts.isGetAccessorDeclaration(declaration) ||
    ts.isConstructorDeclaration(declaration)
  ) {
    return declaration;
  }
  return undefined;
}

function isRepositoryCode(node: ts.Node): boolean {
  const source = node.getSourceFile();
  return !source.isDeclarationFile && !source.fileName.includes('/node_modules/');
}

/** The handler file of a function folder. */
export function handlerFile(name: string): string {
  return join(REPO_ROOT, 'functions', name, 'handler.ts');
}

/** The folder a bundled file belongs to, for messages: `shared/store`, `functions/get-video`. */
export function moduleOf(file: string): string {
  return relative(REPO_ROOT, dirname(file));
}
