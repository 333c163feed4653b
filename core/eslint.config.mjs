// Shipped code: n8n's config plus import-x/no-cycle (see ../eslint.shipped.mjs).
import { shippedConfig } from '../eslint.shipped.mjs';

export default shippedConfig('core');
