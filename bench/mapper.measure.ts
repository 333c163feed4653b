// The Mapping benchmark's measurements (issue 12 item 1): what is measured and how is described in mapper.bench.ts,
// which bundles this file with esbuild (as gulpfile.js bundles the node) and runs the bundle.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import jsonata from 'jsonata';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { compileMapping } from '../core/mapping';
import type { FieldsMappingConfig } from '../core/mapping/types';
import { mapperHelpers } from '../core/mapping/helpers';
import { PlekMapper } from '../nodes/PlekMapper/PlekMapper.node';
import { adEntries, adTemplateParameters, configOf } from './ad';
import { median, report } from './common';
import { executeContext } from './nodeContext';

const N = Number(process.env.BENCH_RECORDS ?? 100000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SAMPLE = Math.min(N, Number(process.env.BENCH_SAMPLE ?? 2000));

interface Mapped {
	key: unknown;
	userName: unknown;
	active: unknown;
	profile: Record<string, unknown>;
	groups: string[];
}

const helpers = mapperHelpers(() => new Date(), 'Europe/Amsterdam');

function compilePlain(source: string): jsonata.Expression {
	const expression = jsonata(source);
	for (const [name, implementation] of Object.entries(helpers)) expression.registerFunction(name, implementation);
	return expression;
}

/** Plain jsonata: every rule compiled once, evaluated per record, results assembled without any checks. */
function plainJsonata(config: FieldsMappingConfig): (record: unknown) => Promise<Mapped> {
	const key = compilePlain(config.key);
	const userName = compilePlain(config.userName!);
	const active = compilePlain(config.active!);
	const profile = (config.profile ?? []).map((f) => ({ path: f.path, expression: compilePlain(f.expression) }));
	const groups = (config.groups ?? []).map((g) => ({
		group: g.group,
		condition: g.condition?.trim() ? compilePlain(g.condition) : undefined,
		name: g.groupName?.trim() ? compilePlain(g.groupName) : undefined,
	}));
	return async (record) => {
		const out: Mapped = {
			key: await key.evaluate(record),
			userName: await userName.evaluate(record),
			active: await active.evaluate(record),
			profile: {},
			groups: [],
		};
		for (const f of profile) {
			const value: unknown = await f.expression.evaluate(record);
			if (value !== undefined) out.profile[f.path] = value;
		}
		for (const g of groups) {
			if (g.condition && (await g.condition.evaluate(record)) !== true) continue;
			if (!g.name) out.groups.push(g.group);
			else for (const name of [await g.name.evaluate(record)].flat()) if (typeof name === 'string' && name !== '') out.groups.push(name);
		}
		return out;
	};
}

/** The naive per-item implementation: compile every rule for every record. */
async function compilePerRecord(config: FieldsMappingConfig, record: unknown): Promise<Mapped> {
	return plainJsonata(config)(record);
}

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const MANAGER_TITLES = new Set(['Director', 'Chief Executive', 'Head of Communication']);

/** The floor: the AD template's rules written by hand (checked against the node's output below). */
function handWritten(r: IDataObject): Mapped {
	const title = r.title as string | undefined;
	const profile: Record<string, unknown> = {};
	const set = (path: string, value: unknown) => {
		if (value !== undefined) profile[path] = value;
	};
	set('name.givenName', r.givenName);
	set('name.familyName', r.sn);
	set('displayName', r.displayName);
	set('title', title);
	set('emails[type eq "work"].value', helpers.normalizeEmail(r.mail));
	set(`${ENT}:department`, r.department);
	set(`${ENT}:employeeNumber`, r.employeeID);
	profile.preferredLanguage = 'nl-NL';
	const groups = ['All staff'];
	if (typeof r.department === 'string' && r.department !== '') groups.push(r.department); // the rule Named by a Field
	if (typeof title === 'string' && title.includes('Nurse')) groups.push('Nurses');
	if (typeof title === 'string' && (title.includes('Manager') || MANAGER_TITLES.has(title))) groups.push('Managers');
	return {
		key: helpers.adGuid(r.objectGUID),
		userName: helpers.normalizeEmail(r.mail),
		active: helpers.adDisabled(r.userAccountControl) !== true && helpers.adExpired(r.accountExpires) !== true,
		profile,
		groups,
	};
}

/** The same template with every rule in a form the fast path does not take (string concatenation, $trim, ?:). */
function slowParameters(parameters: INodeParameters): INodeParameters {
	const p = JSON.parse(JSON.stringify(parameters)) as {
		mappingKey: string;
		userName: string;
		active: string;
		profileFields: { field: Array<{ path: string; expression: string }> };
		groupRules: { rule: Array<{ group?: string; groupName?: string; condition: string }> };
	};
	p.mappingKey = `$adGuid($trim(objectGUID))`;
	p.userName = `$normalizeEmail($trim(mail))`;
	p.active = `$adDisabled(userAccountControl) ? false : $not($adExpired(accountExpires))`;
	for (const field of p.profileFields.field) {
		field.expression = field.expression.startsWith("'") ? `${field.expression} & ''` : `$trim(${field.expression})`;
	}
	for (const rule of p.groupRules.rule) {
		if (rule.condition?.trim()) rule.condition = `(${rule.condition}) ? true : false`;
		if (rule.groupName?.trim()) rule.groupName = `$trim(${rule.groupName})`;
	}
	return p as unknown as INodeParameters;
}

/** The node's execute, through the harness; the input items exist before the clock starts, as in n8n. */
async function runNode(parameters: INodeParameters, input: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const node = new PlekMapper();
	const context = executeContext(node, parameters, input);
	return (await node.execute.call(context)) as INodeExecutionData[][];
}

function normalise(m: Mapped | IDataObject): string {
	const record = m as Mapped;
	const profile = Object.fromEntries(Object.entries(record.profile).sort(([a], [b]) => (a < b ? -1 : 1)));
	return JSON.stringify([record.key, record.userName, record.active, profile, [...record.groups].sort()]);
}

function assertSame(what: string, expected: string[], got: string[]) {
	if (expected.length !== got.length) throw new Error(`${what}: ${got.length} records, the node gave ${expected.length}`);
	for (let i = 0; i < expected.length; i++) {
		if (expected[i] !== got[i]) throw new Error(`${what} differs from the node on record ${i + 1}: ${got[i]} vs ${expected[i]}`);
	}
}

async function mapWith(run: (record: IDataObject) => Promise<Mapped> | Mapped, records: IDataObject[]): Promise<Mapped[]> {
	const out: Mapped[] = [];
	for (const record of records) out.push(await run(record));
	return out;
}

interface Timing {
	/** Median CPU time (user + system of this process) of the rounds; the machine may be shared, so not wall time. */
	ms: number;
	perSecond: number;
}

/** Runs every variant once per round, interleaved, so a change in machine load hits all of them alike. */
async function measureInterleaved(variants: Record<string, { work: () => Promise<unknown>; scale?: number; once?: boolean }>): Promise<Record<string, Timing>> {
	const times: Record<string, number[]> = {};
	for (let round = 0; round < ROUNDS; round++) {
		for (const [name, variant] of Object.entries(variants)) {
			if (variant.once && round > 0) continue;
			global.gc?.();
			const started = process.cpuUsage();
			await variant.work();
			const used = process.cpuUsage(started);
			(times[name] ??= []).push(((used.user + used.system) / 1000) * (variant.scale ?? 1));
		}
	}
	return Object.fromEntries(
		Object.entries(times).map(([name, list]) => {
			const ms = median(list);
			return [name, { ms: Number(ms.toFixed(1)), perSecond: Math.round(N / (ms / 1000)) }];
		}),
	);
}

/** Counts the rules whose expressions the fast path compiled. */
function fastRules(config: FieldsMappingConfig): { fast: number; total: number } {
	const c = compileMapping(config).compiled;
	const all = [...c.values, ...c.groups.flatMap((g) => [g.condition, g.name])].filter((e) => e !== undefined);
	return { fast: all.filter((e) => e.fast !== undefined).length, total: all.length };
}

async function ruleSet(label: string, parameters: INodeParameters, records: IDataObject[], input: INodeExecutionData[], withFloor: boolean) {
	const config = configOf(parameters);
	const plain = plainJsonata(config);
	const [users, invalid] = await runNode(parameters, input);
	if (invalid.length > 0) throw new Error(`${label}: the node rejected ${invalid.length} records, first: ${JSON.stringify(invalid[0].json.reason)}`);
	const expected = users.map((item) => normalise(item.json));
	assertSame(`${label}: plain jsonata`, expected, (await mapWith(plain, records)).map(normalise));
	if (withFloor) assertSame(`${label}: hand-written JS`, expected, (await mapWith(handWritten, records)).map(normalise));

	const sample = records.slice(0, SAMPLE);
	const t = await measureInterleaved({
		node: { work: () => runNode(parameters, input) },
		plainJsonata: { work: () => mapWith(plain, records) },
		...(withFloor
			? {
					handWritten: { work: () => mapWith(handWritten, records) },
					compilePerRecord: { work: () => mapWith((r) => compilePerRecord(config, r), sample), scale: N / SAMPLE, once: true },
				}
			: {}),
	});
	const { node, plainJsonata: once, handWritten: floor, compilePerRecord: perRecord } = t;
	return { rules: fastRules(config), node, plainJsonata: once, handWritten: floor, compilePerRecord: perRecord };
}

async function main() {
	const template = adTemplateParameters();
	const records = adEntries(N);
	const input: INodeExecutionData[] = records.map((json, item) => ({ json, pairedItem: { item } }));
	await runNode(template, input.slice(0, 2000)); // warm up the JIT

	const ad = await ruleSet('AD template', template, records, input, true);
	const slow = await ruleSet('no fast path', slowParameters(template), records, input, false);
	if (slow.rules.fast !== 0) throw new Error(`the no-fast-path rule set has ${slow.rules.fast} rules the fast path takes`);

	const result = {
		records: N,
		rounds: ROUNDS,
		adTemplate: {
			rules: ad.rules,
			recordsPerSecond: {
				node: ad.node.perSecond,
				plainJsonata: ad.plainJsonata.perSecond,
				handWritten: ad.handWritten!.perSecond,
				compilePerRecord: ad.compilePerRecord!.perSecond,
			},
			ms: { node: ad.node.ms, plainJsonata: ad.plainJsonata.ms, handWritten: ad.handWritten!.ms, compilePerRecord: ad.compilePerRecord!.ms },
			nodeVsPlainJsonata: Number((ad.plainJsonata.ms / ad.node.ms).toFixed(2)),
			handWrittenVsNode: Number((ad.node.ms / ad.handWritten!.ms).toFixed(2)),
			nodeVsCompilePerRecord: Number((ad.compilePerRecord!.ms / ad.node.ms).toFixed(1)),
			compilePerRecordSample: SAMPLE,
		},
		noFastPath: {
			rules: slow.rules,
			recordsPerSecond: { node: slow.node.perSecond, plainJsonata: slow.plainJsonata.perSecond },
			ms: { node: slow.node.ms, plainJsonata: slow.plainJsonata.ms },
			nodeTimePerPlainJsonata: Number((slow.node.ms / slow.plainJsonata.ms).toFixed(2)),
		},
		targets: { nodeVsPlainJsonata: 3, noFastPathNodeTimePerPlainJsonata: 1.2 },
	};
	report(`Plek Mapper node, ${N} AD entries, AD template rules (${ad.rules.total} expressions, ${ad.rules.fast} on the fast path; median of ${ROUNDS}, CPU time)`, {
		'node execute (records/s)': result.adTemplate.recordsPerSecond.node,
		'plain jsonata compiled once (records/s)': result.adTemplate.recordsPerSecond.plainJsonata,
		'hand-written JS, the floor (records/s)': result.adTemplate.recordsPerSecond.handWritten,
		[`compile per record (records/s, ${SAMPLE} scaled)`]: result.adTemplate.recordsPerSecond.compilePerRecord,
		'node vs plain jsonata (target >= 3x)': `${result.adTemplate.nodeVsPlainJsonata}x`,
		'node time / hand-written JS time': `${result.adTemplate.handWrittenVsNode}x`,
		'node vs compile per record': `${result.adTemplate.nodeVsCompilePerRecord}x`,
	});
	report(`Same template, every rule outside the fast path (${slow.rules.total} expressions, 0 fast)`, {
		'node execute (records/s)': result.noFastPath.recordsPerSecond.node,
		'plain jsonata compiled once (records/s)': result.noFastPath.recordsPerSecond.plainJsonata,
		'node time / plain jsonata (target <= 1.2)': `${result.noFastPath.nodeTimePerPlainJsonata}x`,
	});
	mkdirSync(join(__dirname, 'results'), { recursive: true });
	writeFileSync(join(__dirname, 'results', 'mapper.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
