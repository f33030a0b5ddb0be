import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { Construct } from 'constructs';

/**
 * The viewer-request function (CloudFront Functions, `cloudfront-js-2.0`): a path whose last segment
 * has no extension is a client route (`/videos/<id>`, `/profile`, `/callback`), so it is answered with
 * `/index.html` and the app's router renders it; paths with an extension are build files and pass
 * unchanged. Done here rather than with custom error responses, which apply to the whole distribution
 * and would turn S3's 403s and 404s into a page.
 */
export const SPA_ROUTING_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.lastIndexOf('.') <= uri.lastIndexOf('/')) {
    request.uri = '/index.html';
  }
  return request;
}
`;

/** Props of {@link SpaRouting}. */
export interface SpaRoutingProps {
  /** Physical name of the function. */
  readonly name: string;
}

/** The published CloudFront Function running {@link SPA_ROUTING_CODE}. */
export class SpaRouting extends Construct {
  readonly function: CloudfrontFunction;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: SpaRoutingProps) {
    super(scope, id);
    this.function = new CloudfrontFunction(this, 'function', {
      name: props.name,
      comment: 'Client routes of the web app are answered with /index.html',
      runtime: 'cloudfront-js-2.0',
      publish: true,
      code: SPA_ROUTING_CODE,
    });
    this.arn = this.function.arn;
  }
}
