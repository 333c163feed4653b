// The Mapper's profile-field dropdown: Plek's profile fields from the one list every node offers
// (core/record/profileFields.ts), as n8n options.
import type { INodePropertyOptions } from 'n8n-workflow';

import type { AttributeInfo } from '../../core/mapping';
import { COMMON_PROFILE_FIELDS as COMMON, profileFieldChoices } from '../../core/record/profileFields';

/** Common SCIM User paths, offered when the node has no Plek credential. */
export const COMMON_PROFILE_FIELDS: INodePropertyOptions[] = COMMON.map((choice) => ({ ...choice }));

/** Turn Plek's user attributes into dropdown options: writable, scalar, syncable paths only. */
export function profileFieldOptions(attributes: AttributeInfo[]): INodePropertyOptions[] {
	return profileFieldChoices(attributes);
}
