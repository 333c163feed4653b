// An empty source reaching the Mapper as the empty item of Always Output Data is passed on as that empty item
// (not an invalid record), so the Sync runs and fails with "the source returned no people".
import { PlekMapper } from '../../nodes/PlekMapper/PlekMapper.node';
import { runNode } from '../support/nodeHarness';

const parameters = {
	mode: 'fields',
	mappingKey: 'id',
	userName: 'mail',
	active: 'true',
	profileFields: { field: [] },
	groupRules: { rule: [] },
	options: {},
};

test('the empty placeholder item goes to Users as an empty item, nothing to Invalid', async () => {
	const run = await runNode(new PlekMapper(), { parameters, input: [{}] });
	expect(run.outputs[0]).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
	expect(run.outputs[1]).toEqual([]);
});

test('an empty item among real rows is an invalid record as before', async () => {
	// 1 of 2 is over the default invalid share that fails the run: lifted here to see the record itself.
	const run = await runNode(new PlekMapper(), { parameters: { ...parameters, options: { maxInvalidPercent: 100 } }, input: [{ id: 'a', mail: 'a@acme.nl' }, {}] });
	expect(run.json(0)).toEqual([expect.objectContaining({ key: 'a' })]);
	expect(run.json(1)).toHaveLength(1);
});
