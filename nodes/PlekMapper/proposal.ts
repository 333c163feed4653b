// The Plek Mapper's Propose Mapping mode: one output item with the proposed fields (column, why, confidence), the
// notes, the Fields-mode parameters, and `mapperNode`, the text to paste on the canvas for a Plek Mapper configured
// with them. Why a mode and not a resource mapper: an editor dropdown's loadOptions/resourceMapping method gets the
// node's parameters and credentials but never the input items (ILoadOptionsFunctions has no getInputData), so only
// an execution can see the customer's export; its output is where n8n shows data, and pasting a node is how n8n
// moves configuration. What is pasted is ordinary Fields-mode parameters: nothing is proposed at run time.
import type { IDataObject, NodeExecutionHint } from 'n8n-workflow';

import { proposeMapping } from '../../core/mapping/propose';

const HOW_TO_USE =
	'Check each field below (column, why, confidence). To accept: copy the value of mapperNode and paste it on the canvas (Ctrl+V or Cmd+V). A Plek Mapper in Fields mode with these fields appears; connect it where this node is and edit or delete any field. Then run the Plek Sync in Dry Run.';

/** The output item and the notice above it for a proposal from these items. */
export function proposalOutput(items: readonly IDataObject[], nodeName: string): { json: IDataObject; hint: NodeExecutionHint } {
	const proposal = proposeMapping(items);
	const mapper = {
		parameters: proposal.parameters,
		name: `${nodeName} (proposed)`,
		type: 'n8n-nodes-plek.plekMapper',
		typeVersion: 1,
		position: [0, 0],
	};
	const json: IDataObject = {
		howToUse: HOW_TO_USE,
		source: proposal.source,
		records: items.length,
		fields: proposal.fields as unknown as IDataObject[],
		notes: proposal.notes,
		unusedColumns: proposal.unused,
		parameters: proposal.parameters as unknown as IDataObject,
		mapperNode: JSON.stringify({ nodes: [mapper], connections: {} }, null, 2),
	};
	const low = proposal.fields.filter((f) => f.confidence !== 'high').map((f) => f.field);
	const message = [
		`Proposed ${proposal.fields.length} field(s) from ${items.length} record(s)`,
		low.length > 0 ? `; check ${low.join(', ')} (not high confidence)` : '',
		proposal.notes.length > 0 ? `; ${proposal.notes.length} note(s) to read` : '',
		'. Paste mapperNode on the canvas to get a Plek Mapper with these fields.',
	].join('');
	return { json, hint: { type: proposal.notes.length > 0 ? 'warning' : 'info', location: 'outputPane', message } };
}
