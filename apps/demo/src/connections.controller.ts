import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { Connection, ConnectionsService } from './connections.service';
import { DemoRequest, formResult } from './http.util';
import { SignedInGuard } from './signed-in.guard';

/** The demo's JSON API over the signed-in user's connections (401 when signed out). */
@Controller('api')
@UseGuards(SignedInGuard)
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  /**
   * `GET /api/connections`: `[{ provider, title, connected, status, expiresAt, scope, accounts }]`;
   * `?verify=1` checks each usable account at the provider first.
   */
  @Get('connections')
  list(@Query('verify') verify?: string): Promise<Connection[]> {
    return this.connections.list(verify === '1' || verify === 'true');
  }

  /** `GET /api/{provider}/profile[?account=]`: the provider's user info, fetched with the user's token. */
  @Get(':provider/profile')
  async profile(
    @Param('provider') provider: string,
    @Query('account') account?: unknown,
  ): Promise<unknown> {
    return (await this.connections.profile(provider, textOf(account))).body;
  }

  /** `POST /api/{provider}/disconnect` (form or JSON `account`): deletes (and revokes) one account's token. */
  @Post(':provider/disconnect')
  async disconnect(
    @Param('provider') provider: string,
    @Body('account') account: unknown,
    @Req() request: DemoRequest,
    @Res() response: object,
  ): Promise<void> {
    formResult(
      request,
      response,
      await this.connections.disconnect(provider, textOf(account)),
    );
  }
}

/** A non-empty string parameter, or undefined. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value.slice(0, 256) : undefined;
}
