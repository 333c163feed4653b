// Issue 22: every guard of the one list (core GUARDS) is a Safety Guards option of the Sync node, with core's default,
// and the node hands each limit to the planner.
import type { INodeProperties } from 'n8n-workflow';

import { GUARDS } from '../../core/sync/planner/guards';
import { PlekSync } from '../../nodes/PlekSync/PlekSync.node';

const guards = new PlekSync().description.properties.find((p) => p.name === 'guards');
const options = (guards?.options ?? []) as INodeProperties[];

test.each(GUARDS.map((g) => [g.option, g.defaultLimit]))('the Safety Guards option %s exists with core\'s default', (option, limit) => {
	const property = options.find((o) => o.name === option);
	expect(property?.type).toBe('number');
	expect(property?.default).toBe(limit);
});

test('each guard\'s advice names its Sync node option by its label', () => {
	for (const g of GUARDS) {
		const shown = options.find((o) => o.name === g.option)?.displayName ?? '';
		// "Max Deactivation Percent" / "Min Source Ratio" are the advice's names of the longer editor labels.
		expect(shown.replace('Percentage', 'Percent').replace('Source Size Ratio', 'Source Ratio')).toBe(g.label);
	}
});
