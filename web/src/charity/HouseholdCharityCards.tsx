/** The household page's portrait (needs with severity, evidence, status) and plan (一户一策: entitlements, department tasks, charity referrals) cards. */
import { useCan } from '../auth/AuthContext.js';
import { Loading } from '../app/ErrorView.js';
import { PlanCard } from './PlanCard.js';
import { PortraitCard } from './PortraitCard.js';
import { usePlan } from './queries.js';

export function HouseholdCharityCards({ householdId }: { householdId: string }) {
  const plan = usePlan(householdId);
  const canWrite = useCan('needs.write');
  if (plan.isPending) return <Loading />;
  if (plan.isError) return null;
  return (
    <>
      <PortraitCard householdId={householdId} needs={plan.data.needs} canWrite={canWrite} />
      <PlanCard householdId={householdId} plan={plan.data} canWrite={canWrite} />
    </>
  );
}
