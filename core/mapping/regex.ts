// Linear-time regular expressions for JSONata. A native RegExp backtracks: `/(a+)+$/` on 34 `a`s blocks the event
// loop for minutes, and the engine's cooperative time check never runs during one native match. RE2JS (a pure-JS
// port of RE2) matches in time linear in program size x text length, so a match is bounded before it starts.
import { RE2JS } from 're2js';

import { BoundedEvaluationError } from './errors';

/**
 * Pessimistic cost of one unit of RE2JS work (program instruction x text character), in nanoseconds. Measured at
 * 30-100 ns on a loaded 2-core machine; 200 keeps one match well inside the remaining time budget.
 */
const NANOSECONDS_PER_UNIT = 200;

/** Deadlines of the evaluations now running (normally one: records are mapped one after the other). */
const activeDeadlines = new Map<symbol, { deadline: number; timeoutMs: number }>();

/** Run one bounded evaluation; regular expressions matched meanwhile respect its deadline. */
export async function withRegexDeadline<T>(deadline: number, timeoutMs: number, run: () => Promise<T>): Promise<T> {
	const id = Symbol('evaluation');
	activeDeadlines.set(id, { deadline, timeoutMs });
	try {
		return await run();
	} finally {
		activeDeadlines.delete(id);
	}
}

/** The soonest deadline of the running evaluations (conservative when several overlap). */
function soonestDeadline(): { deadline: number; timeoutMs: number } | undefined {
	let soonest: { deadline: number; timeoutMs: number } | undefined;
	for (const entry of activeDeadlines.values()) if (!soonest || entry.deadline < soonest.deadline) soonest = entry;
	return soonest;
}

/** The compiled RE2JS program of each regex literal of a parsed expression (the AST keeps the same RegExp). */
const compiledPrograms = new WeakMap<RegExp, RE2JS>();

export class UnsupportedRegexError extends Error {
	constructor(
		readonly pattern: string,
		detail: string,
	) {
		super(
			`the regular expression /${pattern}/ uses syntax the linear-time engine does not support (${detail}); ` +
				'backreferences (\\1), lookahead (?= ?!), lookbehind (?<= ?<!) and repeat counts over 1000 are not available, see docs/mapper-helpers.md',
		);
		this.name = 'UnsupportedRegexError';
	}
}

/** Compile a JSONata regex literal (a native RegExp the parser built, or a pattern string) to RE2JS. */
export function compileLinear(pattern: RegExp | string): RE2JS {
	const literal = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
	const cached = compiledPrograms.get(literal);
	if (cached) return cached;
	let flags = 0;
	if (literal.flags.includes('i')) flags |= RE2JS.CASE_INSENSITIVE;
	if (literal.flags.includes('m')) flags |= RE2JS.MULTILINE;
	const program = translate(literal, flags);
	if (program instanceof UnsupportedRegexError) throw program;
	compiledPrograms.set(literal, program);
	return program;
}

function translate(literal: RegExp, flags: number): RE2JS | UnsupportedRegexError {
	try {
		return RE2JS.compile(RE2JS.translateRegExp(literal), flags);
	} catch (error) {
		return new UnsupportedRegexError(literal.source, (error as Error).message.replace(/^error parsing regexp: /, ''));
	}
}

type ExecResult = string[] & { index: number; input: string };

/**
 * The subset of RegExp that jsonata's regex closure uses (`lastIndex`, `exec`), global semantics: each exec
 * searches from lastIndex and moves it to the end of the match (0 when nothing matched).
 */
export class LinearRegExp {
	lastIndex = 0;
	private readonly program: RE2JS;

	constructor(pattern: RegExp | string) {
		this.program = compileLinear(pattern);
	}

	get source(): string {
		return this.program.pattern();
	}

	exec(text: string): ExecResult | null {
		const from = this.lastIndex;
		if (from > text.length) {
			this.lastIndex = 0;
			return null;
		}
		this.checkBudget(text.length - from);
		const matcher = this.program.matcher(text);
		if (!matcher.find(from)) {
			this.lastIndex = 0;
			return null;
		}
		const result = [matcher.group(0) ?? ''] as ExecResult;
		for (let group = 1; group <= matcher.groupCount(); group++) {
			// An unmatched group is undefined, as with RegExp.
			result.push(matcher.group(group) ?? (undefined as unknown as string));
		}
		result.index = matcher.start();
		result.input = text;
		this.lastIndex = matcher.end();
		return result;
	}

	/** Refuse a match that could not finish within the remaining time budget, before it starts. */
	private checkBudget(characters: number): void {
		const running = soonestDeadline();
		if (!running) return;
		const remainingMs = running.deadline - Date.now();
		const estimatedMs = (this.program.programSize() * characters * NANOSECONDS_PER_UNIT) / 1e6;
		if (remainingMs <= 0 || estimatedMs > remainingMs) {
			throw new BoundedEvaluationError(
				`bounded evaluation: the regular expression /${this.source}/ on a text of ${characters} characters could take longer than the ` +
					`${Math.max(0, Math.round(remainingMs))} ms left of ${running.timeoutMs} ms (Timeout per Record); shorten the text first (e.g. $substring) or simplify the pattern`,
			);
		}
	}
}

/** Every regex literal of a parsed JSONata expression, for checking them at compile time. */
export function regexLiterals(ast: unknown): Array<{ value: RegExp; position?: number }> {
	const found: Array<{ value: RegExp; position?: number }> = [];
	const seen = new Set<unknown>();
	const visit = (node: unknown): void => {
		if (node === null || typeof node !== 'object' || seen.has(node)) return;
		seen.add(node);
		const candidate = node as { type?: unknown; value?: unknown; position?: number };
		if (candidate.type === 'regex' && candidate.value instanceof RegExp) {
			found.push({ value: candidate.value, position: candidate.position });
		}
		for (const child of Object.values(node)) visit(child);
	};
	visit(ast);
	return found;
}

/** The first regex literal of a parsed expression the engine cannot run, with its position, or undefined. */
export function firstUnsupportedRegex(expression: { ast(): unknown }): (UnsupportedRegexError & { position?: number }) | undefined {
	for (const literal of regexLiterals(expression.ast())) {
		const program = translate(literal.value, 0);
		if (program instanceof UnsupportedRegexError) return Object.assign(program, { position: literal.position });
	}
	return undefined;
}
