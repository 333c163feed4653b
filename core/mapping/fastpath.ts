// Fast path: most mapping rules are plain field references (`givenName`), literals, comparisons
// (`department = 'Care'`), `in` lists, `and`/`or` of those and calls of the Mapper's pure helpers. Those compile to
// direct JavaScript closures here, built from jsonata's own parse tree (`jsonata(expr).ast()`), so the grammar is
// jsonata's. Everything else, and every value whose JSONata semantics the closures do not reproduce exactly
// (arrays or objects in a comparison, a type error, a helper that throws), answers DEFER and the engine evaluates
// the expression with jsonata instead - that keeps results and error messages identical. The closures have no
// loops or recursion over the expression, so jsonata's time and depth budget is not needed for them.
import { HOSTILE_KEYS } from './sanitize';

/** Returned when the closure cannot give jsonata's exact answer for this input; evaluate with jsonata. */
export const DEFER: unique symbol = Symbol('plek.fastpath.defer');

export type FastExpression = (input: unknown) => unknown;
type Helpers = Record<string, (...args: unknown[]) => unknown>;

interface AstNode {
	type: string;
	value?: unknown;
	steps?: AstNode[];
	lhs?: AstNode;
	rhs?: AstNode;
	expressions?: AstNode[];
	arguments?: AstNode[];
	procedure?: AstNode;
	[key: string]: unknown;
}

/** Keys a node may carry and still be compiled; any other key (predicates, stages, focus, ...) means "not fast". */
const PLAIN_KEYS = new Set(['type', 'name', 'value', 'position', 'steps', 'lhs', 'rhs', 'expressions', 'arguments', 'procedure']);
const isPlainNode = (node: AstNode) => Object.keys(node).every((key) => PLAIN_KEYS.has(key));

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** JSONata's effective boolean value for scalars; arrays and objects defer. */
function booleanOf(value: unknown): boolean | undefined | typeof DEFER {
	switch (typeof value) {
		case 'undefined':
			return undefined;
		case 'boolean':
			return value;
		case 'string':
			return value.length > 0;
		case 'number':
			return Number.isFinite(value) ? value !== 0 : DEFER;
		default:
			return value === null ? false : DEFER;
	}
}

/** jsonata's built-in functions the fast path knows, by exact arity. Anything unusual defers. */
const BUILTINS: Record<string, { arity: number; run: (args: unknown[]) => unknown }> = {
	not: {
		arity: 1,
		run: ([value]) => {
			const b = booleanOf(value);
			return b === DEFER || b === undefined ? b : !b;
		},
	},
	boolean: { arity: 1, run: ([value]) => booleanOf(value) },
	exists: { arity: 1, run: ([value]) => value !== undefined },
	contains: {
		arity: 2,
		run: ([text, token]) => {
			if (typeof token !== 'string') return DEFER; // a pattern, or a signature error
			if (text === undefined) return undefined;
			return typeof text === 'string' ? text.includes(token) : DEFER;
		},
	},
	lowercase: {
		arity: 1,
		run: ([text]) => (text === undefined ? undefined : typeof text === 'string' ? text.toLowerCase() : DEFER),
	},
	uppercase: {
		arity: 1,
		run: ([text]) => (text === undefined ? undefined : typeof text === 'string' ? text.toUpperCase() : DEFER),
	},
};

const isScalarLiteral = (node: AstNode) =>
	(node.type === 'string' || node.type === 'number' || node.type === 'value') && isPlainNode(node);

function compileLiteral(node: AstNode): FastExpression | undefined {
	if (!isScalarLiteral(node)) return undefined;
	const value = node.value;
	if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
	return () => value;
}

/** `a` or `a.b.c`: names only, through plain objects (a scalar has no fields); the last value is returned as is. */
function compilePath(node: AstNode): FastExpression | undefined {
	if (node.type !== 'path' || !isPlainNode(node) || !node.steps?.length) return undefined;
	const names: string[] = [];
	for (const step of node.steps) {
		if (step.type !== 'name' || !isPlainNode(step) || typeof step.value !== 'string') return undefined;
		if (HOSTILE_KEYS.has(step.value) || step.value.startsWith('_jsonata')) return undefined;
		names.push(step.value);
	}
	return (input) => {
		let value: unknown = input;
		for (const name of names) {
			if (isPlainObject(value)) value = value[name];
			else if (value === null || typeof value !== 'object') return undefined; // jsonata: no field of a text or number
			else return DEFER; // arrays map over their elements, bytes have indexes: jsonata's rules
			if (value === undefined) return undefined;
		}
		return value;
	};
}

function compileEquality(op: string, lhs: FastExpression, rhs: FastExpression): FastExpression {
	const equal = op === '=';
	return (input) => {
		const l = lhs(input);
		if (l === DEFER) return DEFER;
		const r = rhs(input);
		if (r === DEFER) return DEFER;
		if (l === undefined || r === undefined) return false;
		if ((typeof l === 'object' && l !== null) || (typeof r === 'object' && r !== null)) return DEFER;
		return (l === r) === equal;
	};
}

function compileOrdering(op: string, lhs: FastExpression, rhs: FastExpression): FastExpression {
	const compare: (a: string | number, b: string | number) => boolean =
		op === '<' ? (a, b) => a < b : op === '<=' ? (a, b) => a <= b : op === '>' ? (a, b) => a > b : (a, b) => a >= b;
	const comparable = (v: unknown) => v === undefined || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
	return (input) => {
		const l = lhs(input);
		if (l === DEFER) return DEFER;
		const r = rhs(input);
		if (r === DEFER) return DEFER;
		if (!comparable(l) || !comparable(r)) return DEFER; // jsonata raises T2010 (with its message)
		if (l === undefined || r === undefined) return undefined;
		if (typeof l !== typeof r) return DEFER; // T2009
		return compare(l as string | number, r as string | number);
	};
}

/** `x in [...]` / `x in field`: jsonata compares with `===` against each element (indexOf, not includes: NaN). */
function compileIncludes(lhs: FastExpression, rhsNode: AstNode, helpers: Helpers): FastExpression | undefined {
	if (rhsNode.type === 'unary' && rhsNode.value === '[' && isPlainNode(rhsNode)) {
		const items = rhsNode.expressions ?? [];
		if (!items.every(isScalarLiteral)) return undefined;
		const list = items.map((item) => item.value);
		return (input) => {
			const l = lhs(input);
			if (l === DEFER) return DEFER;
			return l === undefined ? false : list.indexOf(l) !== -1;
		};
	}
	const rhs = compileNode(rhsNode, helpers);
	if (!rhs) return undefined;
	return (input) => {
		const l = lhs(input);
		if (l === DEFER) return DEFER;
		const r = rhs(input);
		if (r === DEFER) return DEFER;
		if (l === undefined || r === undefined) return false;
		return Array.isArray(r) ? r.indexOf(l) !== -1 : r === l;
	};
}

function compileBoolean(op: string, lhs: FastExpression, rhs: FastExpression): FastExpression {
	const isAnd = op === 'and';
	return (input) => {
		const l = lhs(input);
		if (l === DEFER) return DEFER;
		const lb = booleanOf(l);
		if (lb === DEFER) return DEFER;
		if (isAnd ? lb !== true : lb === true) return !isAnd; // short-circuit, as jsonata does
		const r = rhs(input);
		if (r === DEFER) return DEFER;
		const rb = booleanOf(r);
		return rb === DEFER ? DEFER : rb === true;
	};
}

function compileBinary(node: AstNode, helpers: Helpers): FastExpression | undefined {
	if (!isPlainNode(node) || !node.lhs || !node.rhs) return undefined;
	const op = node.value as string;
	const lhs = compileNode(node.lhs, helpers);
	if (!lhs) return undefined;
	if (op === 'in') return compileIncludes(lhs, node.rhs, helpers);
	const rhs = compileNode(node.rhs, helpers);
	if (!rhs) return undefined;
	if (op === '=' || op === '!=') return compileEquality(op, lhs, rhs);
	if (op === '<' || op === '<=' || op === '>' || op === '>=') return compileOrdering(op, lhs, rhs);
	if (op === 'and' || op === 'or') return compileBoolean(op, lhs, rhs);
	return undefined;
}

/** `$helper(args)` for the Mapper's helpers (they shadow built-ins, as in jsonata) and a few built-ins. */
function compileCall(node: AstNode, helpers: Helpers): FastExpression | undefined {
	const procedure = node.procedure;
	if (!isPlainNode(node) || node.value !== '(' || !procedure || procedure.type !== 'variable' || !isPlainNode(procedure)) {
		return undefined;
	}
	const name = procedure.value as string;
	const args: FastExpression[] = [];
	for (const argument of node.arguments ?? []) {
		const compiled = compileNode(argument, helpers);
		if (!compiled) return undefined;
		args.push(compiled);
	}
	const evaluateArgs = (input: unknown): unknown[] | typeof DEFER => {
		const values = new Array<unknown>(args.length);
		for (let i = 0; i < args.length; i++) {
			const value = args[i](input);
			if (value === DEFER) return DEFER;
			values[i] = value;
		}
		return values;
	};
	if (Object.prototype.hasOwnProperty.call(helpers, name)) {
		const helper = helpers[name];
		return (input) => {
			const values = evaluateArgs(input);
			if (values === DEFER) return DEFER;
			try {
				return helper(...values);
			} catch {
				return DEFER; // jsonata re-runs the call and reports the helper's error with its position
			}
		};
	}
	const builtin = Object.prototype.hasOwnProperty.call(BUILTINS, name) ? BUILTINS[name] : undefined;
	if (!builtin || builtin.arity !== args.length) return undefined;
	return (input) => {
		const values = evaluateArgs(input);
		return values === DEFER ? DEFER : builtin.run(values);
	};
}

/** `[a, b]`: undefined items are skipped, array items spliced in one level (jsonata's $append), the rest pushed. */
function compileArray(node: AstNode, helpers: Helpers): FastExpression | undefined {
	if (!isPlainNode(node) || node.value !== '[') return undefined;
	const items: FastExpression[] = [];
	for (const item of node.expressions ?? []) {
		if (item.type === 'unary' && item.value === '[') return undefined; // nested constructors are kept whole
		const compiled = compileNode(item, helpers);
		if (!compiled) return undefined;
		items.push(compiled);
	}
	return (input) => {
		const result: unknown[] = [];
		for (const item of items) {
			const value = item(input);
			if (value === DEFER) return DEFER;
			if (value === undefined) continue;
			if (Array.isArray(value)) result.push(...(value as unknown[]));
			else result.push(value);
		}
		return result;
	};
}

function compileNode(node: AstNode, helpers: Helpers): FastExpression | undefined {
	switch (node.type) {
		case 'unary':
			return compileArray(node, helpers);
		case 'block': // `(expr)`: parentheses around one expression
			return isPlainNode(node) && node.expressions?.length === 1 ? compileNode(node.expressions[0], helpers) : undefined;
		case 'string':
		case 'number':
		case 'value':
			return compileLiteral(node);
		case 'path':
			return compilePath(node);
		case 'binary':
			return compileBinary(node, helpers);
		case 'function':
			return compileCall(node, helpers);
		default:
			return undefined;
	}
}

/**
 * A direct-JavaScript version of a parsed expression, or undefined when the expression uses anything beyond
 * the fast path's subset. The closure expects the sanitised source record (an object) and may answer DEFER.
 */
export function compileFastPath(ast: unknown, helpers: Helpers): FastExpression | undefined {
	if (typeof ast !== 'object' || ast === null) return undefined;
	const compiled = compileNode(ast as AstNode, helpers);
	if (!compiled) return undefined;
	// jsonata wraps an array input in a sequence; the closures only take the usual case, an object record.
	return (input) => (isPlainObject(input) ? compiled(input) : DEFER);
}
