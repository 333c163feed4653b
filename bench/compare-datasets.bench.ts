// Planning baseline (issue 12 item 2): n8n's own way to find what changed, the Compare Datasets node's matching
// (findMatches from the n8n-nodes-base of the installed n8n runtime, `bash scripts/n8n-runtime.sh install`), against
// planSync and a minimal Map diff on the same data in this process: N source records vs N Plek users, 1% changed.
// Compare Datasets gets what a workflow would feed it: one flat item per person on each side (Set nodes), matched
// on the key, with the node's defaults at its latest version (2.3: no fuzzy compare, "include both versions").
// It matches by scanning input B for every item of input A, so it is measured only up to 10,000 (the default sizes).
// Times are CPU time of this process (the machine is shared). Prints a table, writes bench/results/compare-datasets.json.   BENCH_COMPARE_SIZES=1000,10000
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ENTERPRISE_USER_SCHEMA as ENT } from '../core/scimPath';
import { planSync } from '../core/sync/planner';
import type { PlekUserRecord, ScimUser } from '../core/types';
import { cpuMs, currentState, mapDiff, median, people, report } from './common';

const SIZES = (process.env.BENCH_COMPARE_SIZES ?? '1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type FindMatches = (
	input1: INodeExecutionData[],
	input2: INodeExecutionData[],
	fields: Array<{ field1: string; field2: string }>,
	options: IDataObject,
) => INodeExecutionData[][];

/** Compare Datasets' matching, from the installed n8n (undefined when the runtime is not installed). */
function loadFindMatches(): { findMatches: FindMatches; version: string } | undefined {
	const dir = execFileSync('bash', [join(__dirname, '..', 'scripts', 'n8n-runtime.sh'), 'path'], { encoding: 'utf8' }).trim();
	const base = join(dir, 'n8n', 'node_modules', 'n8n-nodes-base');
	const file = join(base, 'dist', 'nodes', 'CompareDatasets', 'GenericFunctions.js');
	if (!existsSync(file)) return undefined;
	const load = createRequire(__filename);
	const { findMatches } = load(file) as { findMatches: FindMatches };
	const { version } = load(join(base, 'package.json')) as { version: string };
	return { findMatches, version };
}


/** One flat item per person, as Set nodes would shape both sides for Compare Datasets. */
const flatRecord = (p: PlekUserRecord): INodeExecutionData => ({
	json: {
		key: p.key,
		userName: p.userName ?? null,
		givenName: (p.profile['name.givenName'] as string) ?? null,
		familyName: (p.profile['name.familyName'] as string) ?? null,
		email: (p.profile['emails[type eq "work"].value'] as string) ?? null,
		title: (p.profile.title as string) ?? null,
		department: (p.profile[`${ENT}:department`] as string) ?? null,
	},
});
const flatUser = (u: ScimUser): INodeExecutionData => {
	const user = u as ScimUser & { name: IDataObject; emails: IDataObject[]; title: string } & Record<string, IDataObject>;
	return {
		json: {
			key: u.externalId ?? null,
			userName: u.userName ?? null,
			givenName: (user.name.givenName as string) ?? null,
			familyName: (user.name.familyName as string) ?? null,
			email: (user.emails[0].value as string) ?? null,
			title: user.title ?? null,
			department: (user[ENT].department as string) ?? null,
		},
	};
};

async function medianMs(run: () => unknown): Promise<number> {
	const times: number[] = [];
	for (let round = 0; round < ROUNDS; round++) {
		global.gc?.();
		times.push(await cpuMs(run));
	}
	return median(times);
}

async function main() {
	const loaded = loadFindMatches();
	if (!loaded) {
		console.log('\n## Compare Datasets: skipped, the n8n runtime is not installed (bash scripts/n8n-runtime.sh install)');
		return;
	}
	const { findMatches, version } = loaded;
	const options = { nodeVersion: 2.3, fuzzyCompare: false, resolve: 'includeBoth' };
	const match = [{ field1: 'key', field2: 'key' }];
	const rows: Array<Record<'users' | 'mapDiffMs' | 'planSyncMs' | 'compareDatasetsMs' | 'compareDatasetsVsMapDiff' | 'compareDatasetsVsPlanSync', number>> = [];
	const warm = people(500);
	const warmUsers = currentState(warm);
	for (let i = 0; i < 3; i++) {
		// warm up the JIT on every path before the first size is timed
		mapDiff(warm, warmUsers);
		planSync(warm, { users: warmUsers, groups: [] }, { groups: false });
		findMatches(warm.map(flatRecord), warmUsers.map(flatUser), match, options);
	}
	for (const n of SIZES) {
		const records = people(n);
		const users = currentState(records);
		const inputA = records.map(flatRecord);
		const inputB = users.map(flatUser);
		const changed = Math.ceil(n / 100);
		const [onlyA, , different, onlyB] = findMatches(inputA, inputB, match, options);
		if (different.length !== changed || onlyA.length || onlyB.length) {
			throw new Error(`Compare Datasets found ${different.length} different (expected ${changed}), ${onlyA.length} / ${onlyB.length} unmatched`);
		}
		const steps = planSync(records, { users, groups: [] }, { groups: false }).steps.length;
		if (steps !== changed || mapDiff(records, users).length !== changed) throw new Error(`planSync planned ${steps} steps, expected ${changed}`);
		const mapDiffMs = await medianMs(() => mapDiff(records, users));
		const planMs = await medianMs(() => planSync(records, { users, groups: [] }, { groups: false }));
		const compareMs = await medianMs(() => findMatches(inputA, inputB, match, options));
		rows.push({
			users: n,
			mapDiffMs: Number(mapDiffMs.toFixed(1)),
			planSyncMs: Number(planMs.toFixed(1)),
			compareDatasetsMs: Number(compareMs.toFixed(1)),
			compareDatasetsVsMapDiff: Number((compareMs / mapDiffMs).toFixed(1)),
			compareDatasetsVsPlanSync: Number((compareMs / planMs).toFixed(1)),
		});
	}
	const growth = (field: 'mapDiffMs' | 'planSyncMs' | 'compareDatasetsMs') =>
		rows.length > 1 ? Number((rows[rows.length - 1][field] / rows[0][field]).toFixed(1)) : undefined;
	const result = {
		n8nNodesBase: version,
		rounds: ROUNDS,
		rows,
		growth: {
			from: rows[0].users,
			to: rows[rows.length - 1].users,
			mapDiff: growth('mapDiffMs'),
			planSync: growth('planSyncMs'),
			compareDatasets: growth('compareDatasetsMs'),
		},
	};
	for (const row of rows) {
		report(`Compare Datasets (n8n-nodes-base ${version}) vs planSync vs a Map diff, ${row.users} vs ${row.users}, 1% changed (median of ${ROUNDS}, CPU ms)`, {
			'Map diff (ms)': row.mapDiffMs,
			'planSync (ms)': row.planSyncMs,
			'Compare Datasets matching (ms)': row.compareDatasetsMs,
			'Compare Datasets / Map diff': `${row.compareDatasetsVsMapDiff}x`,
			'Compare Datasets / planSync': `${row.compareDatasetsVsPlanSync}x`,
		});
	}
	if (rows.length > 1) {
		report(`Growth from ${result.growth.from} to ${result.growth.to} users (linear is ${result.growth.to / result.growth.from}x)`, {
			'Map diff': `${result.growth.mapDiff}x`,
			planSync: `${result.growth.planSync}x`,
			'Compare Datasets': `${result.growth.compareDatasets}x`,
		});
	}
	mkdirSync(join(__dirname, 'results'), { recursive: true });
	writeFileSync(join(__dirname, 'results', 'compare-datasets.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
