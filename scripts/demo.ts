/**
 * `npm run demo`: the whole product on this machine, on a bundled sample organisation.
 *
 * Starts the Plek sandbox (a local Plek API) and an OpenLDAP server playing Active Directory with 300 sample
 * people, then runs the Active Directory template's LDAP search + Plek Mapper + Plek Sync through real n8n
 * (2.x, on Node 24; downloaded once into a cache outside the repository), prints the run summary and the
 * changes, runs it again to show that an unchanged source writes nothing, and cleans up.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { startEnvironment, CREDENTIALS } from './lib/environment';
import { REPO_DIR } from './lib/n8n';
import { groupSeed, samplePeople } from './lib/samples';
import { loadTemplate, toHeadless } from './lib/workflows';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (s: string) => console.log(`\n${bold('==>')} ${s}`);
const info = (s: string) => console.log(`    ${s}`);

const REPORT_NODES = new Set(['Anything to report?', 'E-mail the run report', 'All in step']);

function pad(text: unknown, width: number): string {
	const s = String(text ?? '');
	return s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width);
}

function printSummary(summary: Record<string, any>, writes: number) {
	const rows: Array<[string, number]> = [
		['created', summary.done.create],
		['updated', summary.done.update],
		['deactivated', summary.done.deactivate],
		['reactivated', summary.done.reactivate],
		['group memberships added', summary.done.groupAdd],
		['unchanged', summary.unchanged],
		['skipped (leavers never created)', summary.skipped],
		['failed', summary.failed],
		['conflicts', summary.conflicts],
	];
	for (const [label, value] of rows) info(`${pad(label, 34)}${String(value ?? 0).padStart(6)}`);
	info(`${pad('requests to Plek / writes', 34)}${String(summary.requests).padStart(6)} / ${writes}`);
	info(`${pad('sync duration', 34)}${(summary.durationMs / 1000).toFixed(1).padStart(6)} s`);
}

async function main() {
	const started = Date.now();
	console.log(bold('n8n-nodes-plek demo: Active Directory -> Plek, through real n8n'));

	if (!existsSync(join(REPO_DIR, 'dist', 'nodes'))) {
		step('Building the package (npm run build)...');
		const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_DIR, stdio: 'inherit' });
		if (build.status !== 0) throw new Error('npm run build failed');
	}

	step('Preparing n8n 2.x on Node 24 (the first time this downloads about 3 GB and takes a few minutes)...');
	const env = await startEnvironment({ ldap: true, log: info });
	try {
		env.sandbox.load(groupSeed());
		const people = samplePeople();
		info(`Plek sandbox:   ${env.sandbox.url} (SCIM ${env.sandbox.scimUrl}), ${groupSeed().groups.length} groups, no users`);
		info(`Active Directory: ${env.ldap!.settings.url}, ${people.length} people under ${env.ldap!.settings.usersDn}`);
		info(`n8n:            ${env.runtime.n8nVersion} (user folder ${env.n8n.userFolder})`);

		const template = loadTemplate('active-directory-ldap');
		const workflow = toHeadless(template, { id: 'PlekDemoAdSync01', name: 'Plek demo: Active Directory', credentials: { ...CREDENTIALS } });
		workflow.nodes = workflow.nodes.filter((node) => !REPORT_NODES.has(node.name));
		delete workflow.connections['Sync to Plek'];
		delete workflow.connections['Anything to report?'];
		await env.n8n.importWorkflow(workflow);

		for (const run of [1, 2]) {
			step(
				run === 1
					? 'Run 1: n8n reads AD over LDAP, the Plek Mapper maps 300 people, Plek Sync provisions them...'
					: 'Run 2: the same again, nothing changed in AD...',
			);
			env.sandbox.resetCounters();
			const result = await env.n8n.execute(workflow.id!);
			if (!result.ok) throw new Error(`the n8n execution failed: ${result.errorMessage}\n${result.stderr.slice(-2000)}`);
			info(`n8n execution took ${(result.durationMs / 1000).toFixed(1)} s (including n8n's start-up)`);
			const [[summary], changes] = result.output('Sync to Plek');
			const writes = env.sandbox.counters().writes;
			printSummary(summary, writes);
			if (changes.length > 0) {
				console.log('');
				info(`${pad('action', 22)}${pad('user', 40)}${pad('groups added', 40)}`);
				info('-'.repeat(100));
				for (const change of changes.slice(0, 10)) {
					info(`${pad(change.actions.join('+'), 22)}${pad(change.userName ?? change.groupName, 40)}${pad(change.groups?.added?.join(', '), 40)}`);
				}
				if (changes.length > 10) info(`... and ${changes.length - 10} more changes`);
			} else {
				info(bold(`No changes: ${writes} writes to Plek.`));
			}
		}
		const users = env.sandbox.users();
		step(`Plek now holds ${users.length} users (${users.filter((u) => u.active).length} active); leavers in AD were not created.`);
	} finally {
		await env.close();
	}
	info(`Servers stopped. Demo took ${Math.round((Date.now() - started) / 1000)} s.`);
	console.log(`\nNext: ${bold('npm start')} opens the n8n editor with the package, the sandbox and the templates loaded.`);
}

main().catch((error) => {
	console.error(`\ndemo failed: ${(error as Error).message}`);
	process.exit(1);
});
