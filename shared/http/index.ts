export { BadRequestError, NotFoundError, UnauthorizedError } from './errors.ts';
export { httpHandler } from './handler.ts';
export {
  type ApiEvent,
  booleanParam,
  callerId,
  jsonBody,
  limitParam,
  pathParam,
  queryParam,
} from './request.ts';
export type { ApiResult } from './response.ts';
export { API_ROUTES, type ApiRoute, corsMethods, matchRoute, PAGE_LIMIT, routeKey } from './routes.ts';
