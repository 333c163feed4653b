// Defaults live in core (DEFAULT_SYNC_OPTIONS, DEFAULT_EXECUTE_OPTIONS). n8n's lint wants literal defaults in a
// node description, so this test keeps the editor's defaults equal to core's.
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_EXECUTE_OPTIONS, DEFAULT_SYNC_OPTIONS } from '../../core/sync/types';
import { PlekSync } from '../../nodes/PlekSync/PlekSync.node';

const properties = new PlekSync().description.properties;

function defaultOf(name: string, within: readonly INodeProperties[] = properties): unknown {
	for (const property of within) {
		if (property.name === name) return property.default;
		const nested = property.options?.filter((o): o is INodeProperties => 'type' in o);
		if (nested && nested.length > 0) {
			const found = defaultOf(name, nested);
			if (found !== undefined) return found;
		}
	}
	return undefined;
}

test.each(Object.entries(DEFAULT_SYNC_OPTIONS).filter(([name]) => name !== 'managedGroups'))('the editor default of %s is core\'s', (name, value) => {
	expect(defaultOf(name)).toEqual(value);
});

test.each([['concurrency', DEFAULT_EXECUTE_OPTIONS.concurrency], ['useBulk', DEFAULT_EXECUTE_OPTIONS.useBulk]])('the editor default of %s is core\'s', (name, value) => {
	expect(defaultOf(name)).toEqual(value);
});
