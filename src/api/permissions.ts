import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';

/**
 * Whether the signed-in user may change metrics and start runs. The app's proxy route for writes requires the
 * Editor role (plugin.json `routes[].reqRole`), so the pages hide what Grafana would refuse anyway.
 */
export function canEditMetrics(): boolean {
  const user = config.bootData?.user;
  if (!user) {
    return false;
  }
  return user.isGrafanaAdmin === true || user.orgRole === OrgRole.Editor || user.orgRole === OrgRole.Admin;
}
