import { Controller, Get, Param, Post, Req, Res, Type } from '@nestjs/common';
import { HttpPlatform } from '../platform/http-platform.service';
import { DanceService } from './dance.service';

/**
 * Makes the controller of the dance routes under `loginPath`: `GET {loginPath}/:name`
 * starts the dance, `GET {loginPath}/:name/authorized` is the provider's callback.
 * A class per module, so each app may choose its own prefix.
 */
export function createDanceController(loginPath: string): Type<unknown> {
  @Controller(loginPath || '/')
  class DanceController {
    constructor(
      readonly dance: DanceService,
      private readonly platform: HttpPlatform,
    ) {}

    /** Redirects to the provider. */
    @Get(':blueprint')
    login(
      @Param('blueprint') name: string,
      @Req() request: unknown,
      @Res() response: unknown,
    ) {
      return this.dance.login(name, this.platform.exchange(request, response));
    }

    /** Handles the provider's redirect back. */
    @Get(':blueprint/authorized')
    authorized(
      @Param('blueprint') name: string,
      @Req() request: unknown,
      @Res() response: unknown,
    ) {
      return this.dance.callback(
        name,
        this.platform.exchange(request, response),
      );
    }

    /** The provider's answer posted back (`response_mode=form_post`, Sign in with Apple). */
    @Post(':blueprint/authorized')
    formPost(
      @Param('blueprint') name: string,
      @Req() request: unknown,
      @Res() response: unknown,
    ) {
      return this.dance.formPostCallback(
        name,
        this.platform.exchange(request, response),
      );
    }
  }
  return DanceController;
}
