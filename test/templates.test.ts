// The templates as a customer imports them: a safe first click (Dry Run, and the sticky note says how to switch),
// and a report that tells a dry run from a real one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SYNC_TEMPLATES = ['active-directory-ldap', 'hr-csv-export', 'hr-rest-api'];
type Node = { name: string; type: string; parameters: Record<string, any> };
const nodesOf = (name: string): Node[] => JSON.parse(readFileSync(join(__dirname, '..', 'templates', `${name}.json`), 'utf8')).nodes;

describe.each(SYNC_TEMPLATES)('templates/%s.json', (name) => {
	const nodes = nodesOf(name);
	const byName = (n: string) => nodes.find((node) => node.name === n)!;

	it('imports with Plek Sync in Dry Run, and its first sticky note says so and how to switch to Sync', () => {
		const syncs = nodes.filter((node) => node.type === 'n8n-nodes-plek.plekSync');
		expect(syncs.map((node) => node.parameters.mode)).toEqual(['dryRun']);
		const about = nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote' && node.name.startsWith('About'))!;
		expect(about.parameters.content).toMatch(/starts in Dry Run/);
		expect(about.parameters.content).toMatch(/set \*\*Mode\*\* to \*\*Sync\*\*/);
	});

	it('reports a dry run with planned writes ("dry run: N would change"), not as "All in step"', () => {
		const condition = byName('Anything to report?').parameters.conditions.conditions[0].leftValue as string;
		expect(condition).toContain('($json.dryRun ? $json.wouldChange : 0)');
		const mail = byName('E-mail the run report').parameters;
		expect(mail.subject).toContain("'[dry run: ' + $json.wouldChange + ' would change] '");
		expect(mail.text).toContain('{{ $json.decision }}');
		// Issues in the report name the person, not only the key.
		expect(mail.text).toContain('i.json.userName');
	});
});
