// An empty source is loud. n8n runs no node for zero items, so templates give the source (and the Mapper) "Always
// Output Data": an empty source then reaches the Sync as one empty item `{}`, which means "no people", never a
// record. Unless empty sources are allowed (a delta feed), the Sync fails with "the source returned no people",
// so the error workflow fires.

/** True when the input holds no people: no items, or only the empty placeholder items of Always Output Data. */
export function isEmptySource(records: readonly unknown[]): boolean {
	return records.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r) && Object.keys(r).length === 0);
}

export interface EmptySourceProblem {
	message: string;
	whatToDo: string;
}

/** Why a run must not go on with this input (an empty source, not allowed), or undefined. */
export function emptySourceProblem(records: readonly unknown[], allowEmptySource: boolean): EmptySourceProblem | undefined {
	if (allowEmptySource || !isEmptySource(records)) return undefined;
	return {
		message: 'The source returned no people: nothing was synced',
		whatToDo:
			'Check the source node (file present and not empty? LDAP base DN and filter? API answered with the list?) and the Plek Mapper. ' +
			'If an empty input is normal for this workflow (a feed of changes only), enable Safety Guards > Allow Empty Source.',
	};
}
