// The Mapper compiles every JSONata rule once per execution and evaluates it per record. Baselines, in this process
// on the same records: compiling the same rules for every record (what a naive per-item implementation does), and
// the engine with its fast path off (every rule through jsonata), against which the fast path is measured.
import { compileMapping, mapAll } from '../core/mapping';
import type { FieldsMappingConfig } from '../core/mapping/types';
import { median, report, timed } from './common';

const config: FieldsMappingConfig = {
	key: '$adGuid(objectGUID)',
	userName: '$normalizeEmail(mail)',
	active: '$adActive(userAccountControl, accountExpires)',
	profile: [
		{ path: 'name.givenName', expression: '$nameCase(givenName)' },
		{ path: 'name.familyName', expression: '$nameCase(sn, true)' },
		{ path: 'title', expression: 'title' },
		{ path: 'emails[type eq "work"].value', expression: '$normalizeEmail(mail)' },
		{ path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', expression: 'department' },
	],
	groups: [
		{ group: 'Care', condition: "department = 'Care'" },
		{ group: 'Team leads', condition: "title in ['Team lead', 'Manager']" },
		{ group: 'All staff', condition: 'true' },
	],
};

function adEntries(n: number) {
	return Array.from({ length: n }, (_, i) => {
		const guid = Buffer.alloc(16);
		guid.writeUInt32LE(i, 0);
		guid.writeUInt32LE(0xdeadbeef, 12);
		return {
			objectGUID: guid.toString('hex'),
			mail: `Person${i}@Acme.Example`,
			givenName: `jan${i}`,
			sn: 'van der berg',
			title: i % 9 === 0 ? 'Team lead' : 'Nurse',
			department: i % 3 === 0 ? 'Care' : 'Kitchen',
			userAccountControl: i % 50 === 0 ? '514' : '512',
			accountExpires: '9223372036854775807',
		};
	});
}

async function main() {
	const n = Number(process.env.BENCH_RECORDS ?? 5000);
	const records = adEntries(n);
	const perRecord: number[] = [];
	const once: number[] = [];
	const jsonataOnly: number[] = [];
	const sample = records.slice(0, Math.min(n, 2000));
	for (let round = 0; round < 3; round++) {
		global.gc?.();
		const base = await timed(async () => {
			for (const record of sample) await mapAll(compileMapping(config), [record]);
		});
		global.gc?.();
		const slow = await timed(async () => mapAll(compileMapping(config, { fastPath: false }), records));
		global.gc?.();
		const fast = await timed(async () => mapAll(compileMapping(config), records));
		const valid = fast.value.filter((r) => r.ok).length;
		if (valid !== n) throw new Error(`expected ${n} valid records, got ${valid}`);
		if (JSON.stringify(fast.value) !== JSON.stringify(slow.value)) throw new Error('fast path and jsonata disagree');
		perRecord.push((base.ms / sample.length) * n);
		jsonataOnly.push(slow.ms);
		once.push(fast.ms);
	}
	global.gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	const results = await mapAll(compileMapping(config), records);
	const heapAfter = process.memoryUsage().heapUsed;
	const baseMs = median(perRecord);
	const jsonataMs = median(jsonataOnly);
	const fastMs = median(once);
	report(`Plek Mapper, ${n} AD entries, 5 profile fields + 3 group rules (median of 3)`, {
		'baseline: compile per record (ms, extrapolated from 2,000)': baseMs.toFixed(0),
		'baseline: compile once, every rule through jsonata (ms)': jsonataMs.toFixed(0),
		'engine with the fast path (ms)': fastMs.toFixed(0),
		'per record (ms)': (fastMs / n).toFixed(4),
		'speed-up (compile per record / engine)': (baseMs / fastMs).toFixed(2) + 'x',
		'speed-up (jsonata only / engine)': (jsonataMs / fastMs).toFixed(2) + 'x',
		'heap held per mapped record (bytes)': Math.round((heapAfter - heapBefore) / results.length),
	});
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
