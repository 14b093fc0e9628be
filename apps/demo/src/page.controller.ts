import {
  Controller,
  Get,
  HttpException,
  Inject,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ConnectionsService } from './connections.service';
import { DemoSetup, PageState, renderPage } from './page.view';
import { sendHtml } from './http.util';
import { currentUser } from './session-user.guard';

/** Injection token of what the page footer says the demo runs on. */
export const DEMO_SETUP = Symbol('DEMO_SETUP');

/** Only our own inline CSS; forms post to this origin only. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The demo's page, rendered on the server. */
@Controller()
export class PageController {
  constructor(
    private readonly connections: ConnectionsService,
    @Inject(DEMO_SETUP) private readonly setup: DemoSetup,
  ) {}

  /** `GET /`: sign-in, or the user's connections; `?profile={provider}` also loads that profile. */
  @Get()
  async page(
    @Req() request: object,
    @Res() response: object,
    @Query('profile') profileOf?: unknown,
    @Query('account') account?: unknown,
  ): Promise<void> {
    const user = currentUser(request);
    const state: PageState = {
      user,
      // Verified at the provider: a grant lost there shows as "reconnect required" right away.
      connections: user ? await this.connections.list(true) : [],
      setup: this.setup,
      now: new Date(),
    };
    if (user && typeof profileOf === 'string' && profileOf) {
      try {
        state.profile = {
          provider: profileOf,
          result: await this.connections.profile(
            profileOf,
            typeof account === 'string' && account ? account : undefined,
          ),
        };
      } catch (error) {
        if (!(error instanceof HttpException)) throw error;
        state.profile = { provider: profileOf, error: error.message };
      }
    }
    sendHtml(
      response,
      {
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      },
      renderPage(state),
    );
  }
}
