// Differential test of the mapping fast path: every expression it compiles must give jsonata's exact result
// (value, or "let jsonata answer" when jsonata raises an error), over the helpers' documented examples, the
// templates' rules and a generated corpus of field references, literals, comparisons, `in`, `and`/`or` and
// calls against records whose fields take every JSON type (missing, null, arrays, objects, bytes).
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import jsonata from 'jsonata';

import { compileMapping, mapRecord, type FieldsMappingConfig, type MapResult } from '../../core/mapping';
import { compileFastPath, DEFER } from '../../core/mapping/fastpath';
import { mapperHelpers } from '../../core/mapping/helpers';
import { sanitizeSource } from '../../core/mapping/sanitize';
import { adEntry, ENTERPRISE, GUID_BYTES, NOW } from './fixtures';

const helpers = mapperHelpers(NOW, 'Europe/Amsterdam');

async function reference(expression: string, input: unknown): Promise<{ value: unknown } | { error: unknown }> {
	const compiled = jsonata(expression);
	for (const [name, implementation] of Object.entries(helpers)) compiled.registerFunction(name, implementation);
	return compiled.evaluate(input).then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
}

/** Compares the fast path with jsonata on each input; returns how many inputs the fast path answered itself. */
async function differential(expression: string, inputs: unknown[]): Promise<number | undefined> {
	const fast = compileFastPath(jsonata(expression).ast(), helpers);
	if (!fast) return undefined;
	let answered = 0;
	for (const raw of inputs) {
		const input = sanitizeSource(raw);
		const got = fast(input);
		if (got === DEFER) continue;
		answered++;
		const expected = await reference(expression, input);
		const context = `${expression} on ${show(raw)}`;
		if ('error' in expected) throw new Error(`${context}: jsonata fails (${(expected.error as Error).message}) but the fast path gave ${show(got)}`);
		if (!equalJson(got, expected.value)) throw new Error(`${context}: fast path ${show(got)}, jsonata ${show(expected.value)}`);
	}
	return answered;
}

function show(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (value instanceof Uint8Array) return `bytes(${value.length})`;
	return JSON.stringify(value) ?? String(value);
}

/** Strict structural equality that tells undefined, null, arrays, bytes and objects apart. */
function equalJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return Number.isNaN(a) && Number.isNaN(b);
	if (Array.isArray(a) !== Array.isArray(b) || (a instanceof Uint8Array) !== (b instanceof Uint8Array)) return false;
	const ka = Object.keys(a as object);
	const kb = Object.keys(b as object);
	return ka.length === kb.length && ka.every((k) => equalJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

// ---------------------------------------------------------------------------------------------------------
// Corpora
// ---------------------------------------------------------------------------------------------------------

const VALUES: unknown[] = [
	'Care', '', 'care', 'Team lead', ' J.Berg@Acme.NL ', '512', '514', '9223372036854775807', 'ja',
	3, 0, -1.5, 512, true, false, null, undefined,
	['Care', 'ICT'], ['Care'], [], [3], [['Care']], { x: 'Care' }, {}, { inner: { x: 'Care' } },
	Buffer.from(GUID_BYTES), 'e004253f894fd3119a0c0305e82c3301',
];

/** Records where `a` and `b` take every pair of VALUES (a missing field is left out). */
const PAIRS: Array<Record<string, unknown>> = VALUES.flatMap((a) =>
	VALUES.map((b) => {
		const record: Record<string, unknown> = {};
		if (a !== undefined) record.a = a;
		if (b !== undefined) record.b = b;
		return record;
	}),
);

const ATOMS = ['a', 'b', 'a.x', 'a.inner.x', "'Care'", "''", '3', '0', 'true', 'false', 'null'];
const GENERATED = [
	...ATOMS,
	...['=', '!=', '<', '<=', '>', '>='].flatMap((op) => [`a ${op} b`, `a ${op} 'Care'`, `a ${op} 3`, `'Care' ${op} a`]),
	"a in ['Care', 3, true, null]", 'a in b', "'Care' in a", '3 in b', 'a in []',
	'a and b', 'a or b', "a = 'Care' or b", "a = 'Care' and b = 'Care'", "(a = 'Care') or (b in ['ICT'])",
	'$not(a)', '$boolean(a)', '$exists(a)', '$exists(a.x)', "$contains(a, 'ar')", '$contains(a, b)',
	'$lowercase(a)', '$uppercase(b)', '[a, b]', "[a, 'x', b]", '$not(a) and $exists(b)',
	'$nameCase(a)', '$nameCase(a, true)', '$normalizeEmail(a)', '$adDisabled(a)', '$adActive(a, b)', '$adExpired(b)',
	'$toBool(a)', '$ldapFirst(a)', '$memberOf(a, b)', '$adGuid(a)', '$joinNonEmpty([a, b])', "$joinNonEmpty([a, b], ', ')",
	'$initials(a)', '$dnToCn(a)', '$fileTimeToIso(a)', '$toIsoDate(a)', '$leaveDatePassed(a)',
];

interface TemplateMapperParameters {
	mappingKey?: string;
	userName?: string;
	active?: string;
	startDate?: string;
	leaveDate?: string;
	manager?: string;
	profileFields?: { field?: Array<{ expression?: string }> };
	groupRules?: { rule?: Array<{ condition?: string; groupName?: string }> };
}

/** Every Plek Mapper expression in templates/*.json. */
function templateRules(): string[] {
	const dir = join(__dirname, '../../templates');
	const rules: Array<string | undefined> = [];
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
		const workflow = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Array<{ type: string; parameters: TemplateMapperParameters }> };
		for (const node of workflow.nodes.filter((n) => n.type.endsWith('plekMapper'))) {
			const p = node.parameters;
			rules.push(p.mappingKey, p.userName, p.active, p.startDate, p.leaveDate, p.manager);
			for (const field of p.profileFields?.field ?? []) rules.push(field.expression);
			for (const rule of p.groupRules?.rule ?? []) rules.push(rule.condition, rule.groupName);
		}
	}
	return rules.filter((rule): rule is string => typeof rule === 'string' && rule.trim() !== '');
}

const docExamples = [
	...readFileSync(join(__dirname, '../../docs/mapper-helpers.md'), 'utf8').matchAll(/^\| `(\$.+)` \| `(.+)` \|$/gm),
].map((m) => m[1]);

describe('mapping fast path: same results as jsonata', () => {
	it('answers every generated expression jsonata can answer, on records with fields of every type', async () => {
		let compiled = 0;
		for (const expression of GENERATED) {
			const answered = await differential(expression, PAIRS);
			if (answered === undefined) continue;
			compiled++;
			expect({ expression, answered: answered > 0 }).toEqual({ expression, answered: true });
		}
		expect(compiled).toBe(GENERATED.length);
	});

	it('gives the documented result for the helpers examples it compiles', async () => {
		let compiled = 0;
		for (const expression of docExamples) {
			const answered = await differential(expression, [{}]);
			if (answered !== undefined) compiled++;
		}
		expect(docExamples.length).toBeGreaterThan(40);
		expect(compiled).toBeGreaterThan(docExamples.length / 2);
	});

	it("compiles every template rule and answers it without jsonata on the template's kind of record", async () => {
		const rules = templateRules();
		expect(rules.length).toBeGreaterThan(40);
		const records = [adEntry(), adEntry({ department: 'Home Care', title: 'Manager', mail: undefined }), ...PAIRS.slice(0, 60)];
		for (const rule of rules) {
			const answered = await differential(rule, records);
			expect({ rule, compiled: answered !== undefined }).toEqual({ rule, compiled: true });
		}
		const ad = sanitizeSource(adEntry());
		for (const rule of rules.filter((r) => /\b(objectGUID|givenName|sn|department|title|mail|userAccountControl)\b/.test(r))) {
			expect({ rule, deferred: compileFastPath(jsonata(rule).ast(), helpers)!(ad) === DEFER }).toEqual({ rule, deferred: false });
		}
	});

	it('leaves expressions outside its subset to jsonata', () => {
		for (const expression of ['a[0]', 'a[]', '$string(a)', 'a & b', 'a + 1', '-a', '$x', '$$.a', 'a ? b : c', '{"k": a}', '[[a]]', '($x := 1; a)', '$.a', '*.a', 'a.$lowercase(b)']) {
			expect({ expression, fast: compileFastPath(jsonata(expression).ast(), helpers) !== undefined }).toEqual({ expression, fast: false });
		}
	});
});

describe('engine with and without the fast path', () => {
	const config: FieldsMappingConfig = {
		key: '$adGuid(objectGUID)',
		userName: '$normalizeEmail(mail)',
		active: '$not($adDisabled(userAccountControl)) and $not($adExpired(accountExpires))',
		profile: [
			{ path: 'name.givenName', expression: 'givenName' },
			{ path: 'name.familyName', expression: '$nameCase(sn, true)' },
			{ path: 'title', expression: 'title' },
			{ path: 'preferredLanguage', expression: "'nl-NL'", createOnly: true },
			{ path: `${ENTERPRISE}:department`, expression: 'department' },
		],
		groups: [
			{ group: 'All staff', condition: 'true' },
			{ group: 'Care', condition: "department = 'Care'" },
			{ group: 'Managers', condition: "$contains(title, 'Manager') or title in ['Director', 'Chief Executive']" },
		],
	};
	const records: unknown[] = [
		adEntry(),
		adEntry({ objectGUID: 'not a guid' }), // helper error: jsonata's message with the position
		adEntry({ mail: undefined }),
		adEntry({ title: ['Manager', 'Nurse'] }), // an array where a text is expected
		adEntry({ department: { name: 'Care' } }),
		adEntry({ userAccountControl: 'x' }),
		adEntry({ accountExpires: '133497696000000000', title: 'Director' }),
		adEntry({ givenName: 42, sn: null }),
		adEntry({ objectGUID: Buffer.from(GUID_BYTES.map((b, i) => (i === 0 ? 1 : b))), title: 'Nurse Manager' }),
		['not', 'an', 'object'],
		'text',
	];

	it('maps every record to the same result and the same error message', async () => {
		const mapEach = async (fastPath: boolean) => {
			const mapping = compileMapping(config, { now: NOW, fastPath });
			const results: MapResult[] = [];
			for (const record of records) results.push(await mapRecord(mapping, record));
			return results;
		};
		const fast = await mapEach(true);
		const slow = await mapEach(false);
		expect(fast).toEqual(slow);
		expect(fast.filter((r) => r.ok).length).toBeGreaterThan(2);
		expect(fast.some((r) => !r.ok && /position \d+/.test(r.reason))).toBe(true);
	});
});
