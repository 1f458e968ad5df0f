// Image viewer methods (helper H8's section). Pixel arrays never travel through these methods: they go
// through binary routes (see core/api/binary.ts), and these methods carry the small JSON facts about them.
import { z } from 'zod';
import { method } from '../method.js';

export const viewerMethods = {
  'viewer.routes': method(
    z.object({}).strict(),
    z.array(z.string()),
    'Names of the binary routes registered by services (served as /data/<name> or app://data/<name>).',
  ),
} as const;
