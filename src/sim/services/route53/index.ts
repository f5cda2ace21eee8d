import type { SimService } from '../../types.js';
import { advanceRoute53, nextRoute53EventAt } from './advance.js';
import { changeResourceRecordSets, getChange } from './changes.js';
import { driftWeightedRecord } from './drift.js';
import { listHostedZones, listHostedZonesByName } from './listZones.js';
import { listResourceRecordSets } from './listRecords.js';
import { routeRecordTraffic } from './route.js';
import { seedRoute53 } from './seed.js';
import { initialRoute53State, type Route53State } from './state.js';
import { createHostedZone, getHostedZone } from './zones.js';

export type { Route53State } from './state.js';

/**
 * Simulated Amazon Route 53: hosted zones, transactional change batches with AWS's validation and messages,
 * changes PENDING until propagated, weighted routing of traffic that follows a change only once resolvers'
 * cached answers expire, and an out-of-band writer that changes a weight.
 */
export const route53Service: SimService<Route53State> = {
  name: 'route53',
  initialState: initialRoute53State,
  operations: {
    CreateHostedZone: createHostedZone,
    GetHostedZone: getHostedZone,
    ListHostedZones: listHostedZones,
    ListHostedZonesByName: listHostedZonesByName,
    ChangeResourceRecordSets: changeResourceRecordSets,
    ListResourceRecordSets: listResourceRecordSets,
    GetChange: getChange,
  },
  nextEventAt: nextRoute53EventAt,
  advance: advanceRoute53,
  route: routeRecordTraffic,
  drift: driftWeightedRecord,
  seed: seedRoute53,
};
