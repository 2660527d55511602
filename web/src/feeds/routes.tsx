import { Route } from 'react-router-dom';
import { FeedImportPage } from './FeedImportPage.js';

/** Routes of department event feeds, mounted inside the app shell. */
export const feedRoutes = [<Route key="feeds" path="feeds" element={<FeedImportPage />} />];
