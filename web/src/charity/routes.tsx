import { Route } from 'react-router-dom';
import { CharityPortalPage } from './CharityPortalPage.js';
import { ConsortiumPage } from './ConsortiumPage.js';

/** Routes of the charity feature, mounted inside the app shell. */
export const charityRoutes = {
  portal: [<Route key="charity" path="charity" element={<CharityPortalPage />} />],
  consortium: [<Route key="consortium" path="consortium" element={<ConsortiumPage />} />],
};
