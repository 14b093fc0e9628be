import type { PresetCase } from './preset-cases';

/**
 * Table cases of the presets added for issue 18 (100+ presets), each checked against the
 * provider's documentation: same shape and suites as PRESET_CASES.
 */
export const ADDED_PRESET_CASES: PresetCase[] = [
  {
    preset: 'adobe',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://ims-na1.adobelogin.com/ims/authorize/v2',
      params: { scope: 'openid,AdobeID,email,profile' },
    },
    profile: {
      sample: {
        sub: 'A1B2C3D4E5F6@AdobeID',
        name: 'Ann Adobe',
        given_name: 'Ann',
        family_name: 'Adobe',
        email: 'ann@example.com',
        email_verified: true,
      },
      expected: {
        id: 'A1B2C3D4E5F6@AdobeID',
        name: 'Ann Adobe',
        email: 'ann@example.com',
      },
    },
  },
  {
    preset: 'airtable',
    auth: 'basic',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'oaa8xW3kBcxxu6Lmh.v1.eyJ1c2VySWQi',
        refresh_token: 'oaa8xW3kBcxxu6Lmh.v1.refresh',
        token_type: 'Bearer',
        scope: 'data.records:read user.email:read',
        expires_in: 3600,
        refresh_expires_in: 5184000,
      },
    },
    token: {
      scope: 'data.records:read user.email:read',
      refresh_expires_in: 5184000,
    },
    authorize: {
      url: 'https://airtable.com/oauth2/v1/authorize',
      params: { scope: 'user.email:read' },
    },
    profile: {
      sample: {
        id: 'usrL2PNC5o3H4lBEi',
        email: 'foo@bar.com',
        scopes: ['user.email:read'],
      },
      expected: { id: 'usrL2PNC5o3H4lBEi', email: 'foo@bar.com' },
    },
  },
  {
    preset: 'basecamp',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'BAhbB0kiAbB7ImNsaWVudF9pZCI6IjEyM',
        token_type: 'Bearer',
        expires_in: 1209600,
        refresh_token: 'BAhbB0kiAbB7ImNsaWVudF9pZCI6IjRlZn',
      },
    },
    token: {
      access_token: 'BAhbB0kiAbB7ImNsaWVudF9pZCI6IjEyM',
      refresh_token: 'BAhbB0kiAbB7ImNsaWVudF9pZCI6IjRlZn',
      expires_in: 1209600,
    },
    authorize: {
      url: 'https://launchpad.37signals.com/authorization/new',
      params: {},
    },
    profile: {
      sample: {
        expires_at: '2026-02-16T12:00:00-06:00',
        identity: {
          id: 9999999,
          first_name: 'Jason',
          last_name: 'Fried',
          email_address: 'jason@basecamp.com',
        },
        accounts: [
          {
            product: 'bc3',
            id: 99999999,
            name: 'Honcho Design',
            href: 'https://3.basecampapi.com/99999999',
            app_href: 'https://3.basecamp.com/99999999',
          },
        ],
      },
      expected: {
        id: '9999999',
        name: 'Jason Fried',
        email: 'jason@basecamp.com',
      },
    },
  },
  {
    preset: 'bitly',
    auth: 'post',
    pkce: false,
    refresh: false,
    // Bitly's token endpoint answers form-encoded.
    tokenResponse: {
      text: 'access_token=e663e30818201d28dd07803e57333bed4f15803a&login=bitlyapidemo',
      contentType: 'application/x-www-form-urlencoded',
    },
    token: { access_token: 'e663e30818201d28dd07803e57333bed4f15803a' },
    tokenWithout: ['expires_in', 'refresh_token'],
    authorize: { url: 'https://bitly.com/oauth/authorize', params: {} },
    profile: {
      sample: {
        login: 'bitlyapidemo',
        name: 'Bitly API Demo',
        is_active: true,
        default_group_guid: 'Ba1bc23dE4F',
        emails: [
          { email: 'old@example.com', is_primary: false, is_verified: true },
          { email: 'demo@example.com', is_primary: true, is_verified: true },
        ],
      },
      expected: {
        id: 'bitlyapidemo',
        name: 'Bitly API Demo',
        email: 'demo@example.com',
      },
    },
  },
  {
    preset: 'calendly',
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        token_type: 'Bearer',
        expires_in: 7200,
        created_at: 1548689183,
        refresh_token:
          'b77a76ffce83d3bc20531ddfa76704e584f0ee963f6041b8bcc23b0b4fd8ee95',
        access_token: 'eyJhbGciOiJIUzUxMiJ9.calendly',
        scope: 'default',
        owner: 'https://api.calendly.com/users/EBHAAFHDCAEQTSEZ',
        organization: 'https://api.calendly.com/organizations/EBHAAFHDCAEQTSEZ',
      },
    },
    token: { owner: 'https://api.calendly.com/users/EBHAAFHDCAEQTSEZ' },
    authorize: { url: 'https://auth.calendly.com/oauth/authorize', params: {} },
    profile: {
      sample: {
        resource: {
          uri: 'https://api.calendly.com/users/AAAAAAAAAAAAAAAA',
          name: 'John Doe',
          email: 'test@example.com',
          avatar_url:
            'https://01234567890.cloudfront.net/uploads/user/avatar/0123456/a1b2c3d4.png',
          timezone: 'America/New York',
        },
      },
      expected: {
        id: 'https://api.calendly.com/users/AAAAAAAAAAAAAAAA',
        name: 'John Doe',
        email: 'test@example.com',
        avatarUrl:
          'https://01234567890.cloudfront.net/uploads/user/avatar/0123456/a1b2c3d4.png',
      },
    },
  },
  {
    preset: 'canva',
    auth: 'basic',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://www.canva.com/api/oauth/authorize',
      params: { scope: 'profile:read' },
    },
    profile: {
      sample: {
        team_user: {
          user_id: 'auDAbliZ2rQNNOsUl5OLu',
          team_id: 'Oi2RJILTrKk0KRhRUZozX',
        },
      },
      expected: { id: 'auDAbliZ2rQNNOsUl5OLu' },
    },
  },
  {
    preset: 'clickup',
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: {
        access_token:
          '61681706_dc747044a6941fc9aa645a4f3bca2ba5576e7dfb516a3d1889553fe96a4084f6',
        token_type: 'Bearer',
      },
    },
    token: {
      access_token:
        '61681706_dc747044a6941fc9aa645a4f3bca2ba5576e7dfb516a3d1889553fe96a4084f6',
    },
    tokenWithout: ['expires_in', 'refresh_token'],
    authorize: { url: 'https://app.clickup.com/api', params: {} },
    profile: {
      sample: {
        user: {
          id: 123,
          username: 'John Doe',
          email: 'johndoe@gmail.com',
          color: '#000000',
          profilePicture: 'https://clickup.com/avatar.jpg',
        },
      },
      expected: {
        id: '123',
        name: 'John Doe',
        email: 'johndoe@gmail.com',
        avatarUrl: 'https://clickup.com/avatar.jpg',
      },
    },
  },
  {
    preset: 'cognito',
    options: { domain: 'acme.auth.us-east-1.amazoncognito.com' },
    auth: 'basic',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://acme.auth.us-east-1.amazoncognito.com/oauth2/authorize',
      params: { scope: 'openid email profile' },
    },
    profile: {
      sample: {
        sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
        email_verified: 'true',
        email: 'testuser@example.com',
        username: 'testuser',
      },
      expected: {
        id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
        name: 'testuser',
        email: 'testuser@example.com',
      },
    },
  },
  {
    preset: 'constantcontact',
    auth: 'basic',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://authz.constantcontact.com/oauth2/default/v1/authorize',
      params: { scope: 'account_read contact_data offline_access' },
    },
    profile: {
      sample: {
        contact_email: 'dlang@example.com',
        contact_phone: '5555555555',
        country_code: 'US',
        encoded_account_id: 'a07e1ilz4tev',
        first_name: 'Debora',
        last_name: 'Lang',
        organization_name: 'Lang Consulting',
      },
      expected: {
        id: 'a07e1ilz4tev',
        name: 'Debora Lang',
        email: 'dlang@example.com',
      },
    },
  },
  {
    preset: 'docusign',
    auth: 'basic',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'eyJ0eXAiOiJNVCIsImFsZyI6IlJTMjU2In0.docusign',
        token_type: 'Bearer',
        refresh_token: 'eyJ0eXAiOiJNVCIsImFsZyI6IlJTMjU2In0.refresh',
        expires_in: 28800,
      },
    },
    token: {
      access_token: 'eyJ0eXAiOiJNVCIsImFsZyI6IlJTMjU2In0.docusign',
      expires_in: 28800,
    },
    authorize: {
      url: 'https://account.docusign.com/oauth/auth',
      params: { scope: 'signature' },
    },
    profile: {
      sample: {
        sub: '4799e5e9-1559-4915-9862-cf4713bbcacc',
        name: 'Susan Smart',
        given_name: 'Susan',
        family_name: 'Smart',
        email: 'susan.smart@example.com',
        accounts: [
          {
            account_id: 'a4ec37d6-04d5-4c4e-8a50-6a4e6a7bcd9c',
            is_default: true,
            account_name: 'Susan Account',
            base_uri: 'https://demo.docusign.net',
          },
        ],
      },
      expected: {
        id: '4799e5e9-1559-4915-9862-cf4713bbcacc',
        name: 'Susan Smart',
        email: 'susan.smart@example.com',
      },
    },
  },
  {
    preset: 'docusign',
    options: {
      name: 'docusign-sandbox',
      sandbox: true,
      scope: 'signature extended',
    },
    auth: 'basic',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://account-d.docusign.com/oauth/auth',
      params: { scope: 'signature extended' },
    },
  },
  {
    preset: 'etsy',
    auth: 'post',
    pkce: true,
    refresh: true,
    apiHeaders: { 'x-api-key': 'client-id-123' },
    tokenResponse: {
      json: {
        access_token:
          '12345678.O1zLuwveeKjpIqCQFfmR-PaMMpBmagH6DljRAkK9qt05OtRKiANJOyZlMx3WQ_o2FdComQGuoiAWy3dxyGI4Ke_76PR',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token:
          '12345678.JNGIJtvLmwfDMhlYoOJl8aLR1BWottyHC6yhNcET-eC7RogSR5e1GTIXGrgrelWZalvh3YvvyLfKYYqvymd-u37Sjtx',
      },
    },
    token: { expires_in: 3600 },
    tokenWithout: ['scope'],
    authorize: {
      url: 'https://www.etsy.com/oauth/connect',
      params: { scope: 'profile_r email_r' },
    },
    profile: {
      sample: { user_id: 12345678, shop_id: 87654321 },
      expected: { id: '12345678' },
    },
  },
  {
    preset: 'forgejo',
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://codeberg.org/login/oauth/authorize',
      params: { scope: 'openid profile email' },
    },
    profile: {
      sample: {
        sub: '42',
        preferred_username: 'ana',
        email: 'ana@example.org',
        picture: 'https://codeberg.org/avatars/42',
      },
      expected: {
        id: '42',
        name: 'ana',
        email: 'ana@example.org',
        avatarUrl: 'https://codeberg.org/avatars/42',
      },
    },
  },
  {
    preset: 'gitea',
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://gitea.com/login/oauth/authorize',
      params: { scope: 'openid profile email' },
    },
    profile: {
      sample: {
        sub: '1',
        name: 'Gitea Admin',
        preferred_username: 'gitea',
        email: 'admin@example.com',
        picture: 'https://gitea.com/avatars/1',
      },
      expected: {
        id: '1',
        name: 'Gitea Admin',
        email: 'admin@example.com',
        avatarUrl: 'https://gitea.com/avatars/1',
      },
    },
  },
  {
    preset: 'gitea',
    options: {
      name: 'gitea-self',
      baseUrl: 'https://git.example.com/gitea/',
      scope: 'openid read:repository',
    },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://git.example.com/gitea/login/oauth/authorize',
      params: { scope: 'openid read:repository' },
    },
  },
  {
    preset: 'gusto',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token:
          'de6780bc506a0446309bd9362820ba8aed28aa506c71eedbe1c5c4f9dd350e54',
        token_type: 'bearer',
        expires_in: 7200,
        refresh_token:
          '8257e65c97202ed1726cf9571600918f3bffb2544b26e00a61df9897668c33a1',
        created_at: 1681000000,
      },
    },
    token: {
      access_token:
        'de6780bc506a0446309bd9362820ba8aed28aa506c71eedbe1c5c4f9dd350e54',
      refresh_token:
        '8257e65c97202ed1726cf9571600918f3bffb2544b26e00a61df9897668c33a1',
      expires_in: 7200,
    },
    authorize: { url: 'https://api.gusto.com/oauth/authorize', params: {} },
    profile: {
      sample: {
        uuid: '9bc6b3e1-3f17-4a05-b9d2-0b5c7d5a7a7e',
        email: 'mhartley@example.com',
        first_name: 'Maria',
        last_name: 'Hartley',
        roles: {
          payroll_admin: {
            companies: [{ uuid: 'c44d66dc-c41b-4a60-9e25-5e93ff8583f2' }],
          },
        },
      },
      expected: {
        id: '9bc6b3e1-3f17-4a05-b9d2-0b5c7d5a7a7e',
        name: 'Maria Hartley',
        email: 'mhartley@example.com',
      },
    },
  },
  {
    preset: 'gusto',
    options: { name: 'gusto-demo', demo: true },
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://api.gusto-demo.com/oauth/authorize',
      params: {},
    },
  },
  {
    preset: 'helpscout',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://secure.helpscout.net/authentication/authorizeClientApplication',
      params: {},
    },
    profile: {
      sample: {
        id: 4,
        firstName: 'Mr',
        lastName: 'Robot',
        email: 'mr@robot.com',
        role: 'owner',
        timezone: 'America/New_York',
        photoUrl: 'https://d33v4339jhl8k0.cloudfront.net/users/4.jpg',
      },
      expected: {
        id: '4',
        name: 'Mr Robot',
        email: 'mr@robot.com',
        avatarUrl: 'https://d33v4339jhl8k0.cloudfront.net/users/4.jpg',
      },
    },
  },
  {
    preset: 'intercom',
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: {
        token_type: 'Bearer',
        token: 'dG9rOjE2ZGQ5ZjE5',
        access_token: 'dG9rOjE2ZGQ5ZjE5',
      },
    },
    token: { access_token: 'dG9rOjE2ZGQ5ZjE5' },
    tokenWithout: ['expires_in', 'refresh_token'],
    authorize: { url: 'https://app.intercom.com/oauth', params: {} },
    profile: {
      sample: {
        type: 'admin',
        id: '991267460',
        email: 'admin@example.com',
        name: 'Ciaran Lee',
        avatar: {
          image_url:
            'https://static.intercomassets.com/avatars/991267460/square_128/avatar.png',
        },
        app: { type: 'app', id_code: 'this_is_an_id' },
      },
      expected: {
        id: '991267460',
        name: 'Ciaran Lee',
        email: 'admin@example.com',
        avatarUrl:
          'https://static.intercomassets.com/avatars/991267460/square_128/avatar.png',
      },
    },
  },
  {
    preset: 'intercom',
    options: { name: 'intercom-eu', region: 'eu' },
    auth: 'post',
    pkce: false,
    refresh: false,
    authorize: { url: 'https://app.eu.intercom.com/oauth', params: {} },
  },
  {
    preset: 'kick',
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://id.kick.com/oauth/authorize',
      params: { scope: 'user:read' },
    },
    profile: {
      sample: {
        data: [
          {
            user_id: 123,
            name: 'kickuser',
            email: 'kickuser@example.com',
            profile_picture:
              'https://files.kick.com/images/user/123/profile_image.webp',
          },
        ],
        message: 'OK',
      },
      expected: {
        id: '123',
        name: 'kickuser',
        email: 'kickuser@example.com',
        avatarUrl: 'https://files.kick.com/images/user/123/profile_image.webp',
      },
    },
  },
  {
    preset: 'klaviyo',
    auth: 'basic',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://www.klaviyo.com/oauth/authorize',
      params: { scope: 'accounts:read' },
    },
    profile: {
      sample: {
        data: [
          {
            type: 'account',
            id: 'AbC123',
            attributes: {
              contact_information: {
                default_sender_name: 'Klaviyo Demo',
                default_sender_email: 'contact@klaviyo-demo.com',
                organization_name: 'Klaviyo Demo',
              },
              industry: 'Software / SaaS',
              timezone: 'US/Eastern',
            },
          },
        ],
      },
      expected: {
        id: 'AbC123',
        name: 'Klaviyo Demo',
        email: 'contact@klaviyo-demo.com',
      },
    },
  },
  {
    preset: 'mastodon',
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: {
        access_token: 'ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0',
        token_type: 'Bearer',
        scope: 'read:accounts',
        created_at: 1573979017,
      },
    },
    token: { access_token: 'ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0' },
    tokenWithout: ['expires_in', 'refresh_token'],
    authorize: {
      url: 'https://mastodon.social/oauth/authorize',
      params: { scope: 'read:accounts' },
    },
    codeBody: { scope: 'read:accounts' },
    profile: {
      sample: {
        id: '14715',
        username: 'trwnh',
        acct: 'trwnh',
        display_name: 'infinite love ⴳ',
        avatar:
          'https://files.mastodon.social/accounts/avatars/000/014/715/original/34aa222f4ae2e0a9.png',
      },
      expected: {
        id: '14715',
        name: 'infinite love ⴳ',
        avatarUrl:
          'https://files.mastodon.social/accounts/avatars/000/014/715/original/34aa222f4ae2e0a9.png',
      },
    },
  },
  {
    preset: 'mastodon',
    options: {
      name: 'fosstodon',
      baseUrl: 'https://fosstodon.org',
      scope: 'read write',
    },
    auth: 'post',
    pkce: false,
    refresh: false,
    authorize: {
      url: 'https://fosstodon.org/oauth/authorize',
      params: { scope: 'read write' },
    },
    codeBody: { scope: 'read write' },
  },
  {
    preset: 'mercadolibre',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'APP_USR-123456-090515-8cc4448aac10d5105474e1351-1234567',
        token_type: 'bearer',
        expires_in: 21600,
        scope: 'offline_access read write',
        user_id: 1234567,
        refresh_token: 'TG-5b9032b4e23464aed1f959f-1234567',
      },
    },
    token: {
      access_token: 'APP_USR-123456-090515-8cc4448aac10d5105474e1351-1234567',
      user_id: 1234567,
    },
    authorize: {
      url: 'https://auth.mercadolibre.com.ar/authorization',
      params: {},
    },
    profile: {
      sample: {
        id: 202593498,
        nickname: 'TETE2870021',
        first_name: 'Test',
        last_name: 'Test',
        email: 'test_user_63274375@testuser.com',
        thumbnail: { picture_url: 'https://http2.mlstatic.com/thumb.jpg' },
      },
      expected: {
        id: '202593498',
        name: 'Test Test',
        email: 'test_user_63274375@testuser.com',
        avatarUrl: 'https://http2.mlstatic.com/thumb.jpg',
      },
    },
  },
  {
    preset: 'mercadolibre',
    options: { name: 'mercadolivre', country: 'br' },
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://auth.mercadolivre.com.br/authorization',
      params: {},
    },
  },
  {
    preset: 'mercadopago',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'APP_USR-4934588586838432-XXXXXXXX-241983636',
        token_type: 'Bearer',
        expires_in: 15552000,
        scope: 'offline_access read write',
        user_id: 241983636,
        refresh_token: 'TG-XXXXXXXX-241983636',
        public_key: 'APP_USR-d0a26210-XXXXXXXX-479f0400869e',
        live_mode: true,
      },
    },
    token: {
      access_token: 'APP_USR-4934588586838432-XXXXXXXX-241983636',
      refresh_token: 'TG-XXXXXXXX-241983636',
      expires_in: 15552000,
    },
    authorize: {
      url: 'https://auth.mercadopago.com/authorization',
      params: { platform_id: 'mp' },
    },
    profile: {
      sample: {
        id: 241983636,
        nickname: 'TESTUSER123',
        first_name: 'Ana',
        last_name: 'Souza',
        email: 'ana@example.com',
        country_id: 'BR',
      },
      expected: {
        id: '241983636',
        name: 'Ana Souza',
        email: 'ana@example.com',
      },
    },
  },
  {
    preset: 'miro',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        token_type: 'bearer',
        team_id: '3074457358607431473',
        access_token:
          'eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_o-P91OccaII0A63CDSK--x21xiI',
        refresh_token:
          'eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_-PIBKmE9rzQuL3bUeAvUEGFEhLk',
        scope: 'boards:write boards:read identity:read',
        expires_in: 3599,
      },
    },
    token: { team_id: '3074457358607431473', expires_in: 3599 },
    authorize: {
      url: 'https://miro.com/oauth/authorize',
      params: { scope: 'boards:read' },
    },
    profile: {
      sample: {
        type: 'user',
        team: { id: '3074457358607431473', name: 'Dev team' },
        user: { id: '3458764517517852417', name: 'Ann Smith' },
        scopes: ['boards:read'],
      },
      expected: { id: '3458764517517852417', name: 'Ann Smith' },
    },
  },
  {
    preset: 'mollie',
    options: { scope: 'organizations.read payments.read' },
    auth: 'basic',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'access_46EUJ6x8jFJZZeAvhNH4JVey6qVpqR',
        refresh_token: 'refresh_FS4xc3BgDbcs5AtfaUwBDhFyGFFVfa',
        expires_in: 3600,
        token_type: 'bearer',
        scope: 'organizations.read payments.read',
      },
    },
    token: {
      access_token: 'access_46EUJ6x8jFJZZeAvhNH4JVey6qVpqR',
      refresh_token: 'refresh_FS4xc3BgDbcs5AtfaUwBDhFyGFFVfa',
      expires_in: 3600,
    },
    authorize: {
      url: 'https://my.mollie.com/oauth2/authorize',
      params: { scope: 'organizations.read payments.read' },
    },
    profile: {
      sample: {
        resource: 'organization',
        id: 'org_12345678',
        name: 'Mollie B.V.',
        email: 'info@mollie.com',
        locale: 'nl_NL',
      },
      expected: {
        id: 'org_12345678',
        name: 'Mollie B.V.',
        email: 'info@mollie.com',
      },
    },
  },
  {
    preset: 'monday',
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: {
        access_token: 'eyJhbGciOiJIUzI1NiJ9.monday',
        token_type: 'Bearer',
        scope: 'me:read boards:read',
      },
    },
    token: { scope: 'me:read boards:read' },
    authorize: {
      url: 'https://auth.monday.com/oauth2/authorize',
      params: { scope: 'me:read' },
    },
  },
  {
    preset: 'onelogin',
    options: { subdomain: 'acme', offline: true },
    auth: 'basic',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://acme.onelogin.com/oidc/2/auth',
      params: { scope: 'openid profile email offline_access' },
    },
    profile: {
      sample: {
        sub: '54441818',
        email: 'jane.doe@example.com',
        preferred_username: 'jane.doe',
        name: 'Jane Doe',
        given_name: 'Jane',
        family_name: 'Doe',
      },
      expected: {
        id: '54441818',
        name: 'Jane Doe',
        email: 'jane.doe@example.com',
      },
    },
  },
  {
    preset: 'osu',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'verylongstring',
        expires_in: 86400,
        refresh_token: 'anotherlongstring',
        token_type: 'Bearer',
      },
    },
    token: {
      access_token: 'verylongstring',
      refresh_token: 'anotherlongstring',
    },
    authorize: {
      url: 'https://osu.ppy.sh/oauth/authorize',
      params: { scope: 'identify public' },
    },
    profile: {
      sample: {
        avatar_url: 'https://a.ppy.sh/1?1500000000.jpeg',
        country_code: 'AU',
        id: 2,
        is_active: true,
        username: 'peppy',
        playmode: 'osu',
      },
      expected: {
        id: '2',
        name: 'peppy',
        avatarUrl: 'https://a.ppy.sh/1?1500000000.jpeg',
      },
    },
  },
  {
    preset: 'oura',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://cloud.ouraring.com/oauth/authorize',
      params: { scope: 'personal daily' },
    },
    profile: {
      sample: {
        id: '8f9a5221-639e-4a85-81cb-4065ef23f979',
        age: 31,
        weight: 74.8,
        height: 1.8,
        biological_sex: 'male',
        email: 'example@example.com',
      },
      expected: {
        id: '8f9a5221-639e-4a85-81cb-4065ef23f979',
        email: 'example@example.com',
      },
    },
  },
  {
    preset: 'pandadoc',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'a0aa4c0a7ea1b9b5a4d40f6a1b0e5a5b7a2d3f1c',
        token_type: 'Bearer',
        expires_in: 31535999,
        scope: 'read+write',
        refresh_token: '2a2d3f1c7ea1b9b5a4d40f6a1b0e5a5b7a0aa4c0',
      },
    },
    token: {
      access_token: 'a0aa4c0a7ea1b9b5a4d40f6a1b0e5a5b7a2d3f1c',
      refresh_token: '2a2d3f1c7ea1b9b5a4d40f6a1b0e5a5b7a0aa4c0',
    },
    authorize: {
      url: 'https://app.pandadoc.com/oauth2/authorize',
      params: { scope: 'read+write' },
    },
    profile: {
      sample: {
        user_id: 'xvtDxYqcMCNcQH5aNLvLcm',
        membership_id: 'vmZwMZqEgLcTCKwcjWKpdi',
        email: 'john.appleseed@pandadoc.com',
        first_name: 'John',
        last_name: 'Appleseed',
        avatar:
          'https://pd-avatars.s3.amazonaws.com/xvtDxYqcMCNcQH5aNLvLcm.png',
      },
      expected: {
        id: 'xvtDxYqcMCNcQH5aNLvLcm',
        name: 'John Appleseed',
        email: 'john.appleseed@pandadoc.com',
        avatarUrl:
          'https://pd-avatars.s3.amazonaws.com/xvtDxYqcMCNcQH5aNLvLcm.png',
      },
    },
  },
  {
    preset: 'pingone',
    options: { environmentId: '5caa81af-ec05-41ff-a709-c7378007a99c' },
    auth: 'basic',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://auth.pingone.com/5caa81af-ec05-41ff-a709-c7378007a99c/as/authorize',
      params: { scope: 'openid profile email' },
    },
    profile: {
      sample: {
        sub: '5f1c3c22-0d5e-4b1f-9a3e-6f0c7b9f0e21',
        preferred_username: 'lindsay',
        given_name: 'Lindsay',
        family_name: 'Rowe',
        email: 'lindsay@example.com',
        env: '5caa81af-ec05-41ff-a709-c7378007a99c',
      },
      expected: {
        id: '5f1c3c22-0d5e-4b1f-9a3e-6f0c7b9f0e21',
        name: 'Lindsay Rowe',
        email: 'lindsay@example.com',
      },
    },
  },
  {
    preset: 'pingone',
    options: {
      name: 'pingone-eu',
      environmentId: '5caa81af-ec05-41ff-a709-c7378007a99c',
      region: 'eu',
    },
    auth: 'basic',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://auth.pingone.eu/5caa81af-ec05-41ff-a709-c7378007a99c/as/authorize',
      params: { scope: 'openid profile email' },
    },
  },
  {
    preset: 'pipedrive',
    auth: 'basic',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'v1:AAAAAAAAAAAAAAAA',
        token_type: 'Bearer',
        refresh_token: '1:2:AAAAAAAAAAAAAAAA',
        scope: 'base,deals:read',
        expires_in: 3599,
        api_domain: 'https://company.pipedrive.com',
      },
    },
    token: {
      scope: 'base deals:read',
      api_domain: 'https://company.pipedrive.com',
    },
    authorize: {
      url: 'https://oauth.pipedrive.com/oauth/authorize',
      params: {},
    },
    profile: {
      sample: {
        success: true,
        data: {
          id: 123,
          name: 'Jane Doe',
          email: 'jane@example.com',
          icon_url: 'https://pipedrive.example/icon.png',
        },
      },
      expected: {
        id: '123',
        name: 'Jane Doe',
        email: 'jane@example.com',
        avatarUrl: 'https://pipedrive.example/icon.png',
      },
    },
  },
  {
    preset: 'sage',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9.sage',
        expires_in: 300,
        token_type: 'bearer',
        refresh_token: 'eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9.refresh',
        refresh_token_expires_in: 2678400,
        scope: 'full_access',
        requested_by_id: 'b4a6c2ad-5d0e-4d4d-9d0a-000000000001',
      },
    },
    token: {
      access_token: 'eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9.sage',
      refresh_token: 'eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9.refresh',
      expires_in: 300,
    },
    authorize: {
      url: 'https://www.sageone.com/oauth2/auth/central',
      params: { scope: 'full_access', filter: 'apiv3.1' },
    },
    profile: {
      sample: {
        id: 'b4a6c2ad-5d0e-4d4d-9d0a-000000000001',
        displayed_as: 'Jane Smith',
        first_name: 'Jane',
        last_name: 'Smith',
        initials: 'JS',
        email: 'jane.smith@example.com',
        locale: 'en-GB',
      },
      expected: {
        id: 'b4a6c2ad-5d0e-4d4d-9d0a-000000000001',
        name: 'Jane Smith',
        email: 'jane.smith@example.com',
      },
    },
  },
  {
    preset: 'threads',
    options: { scope: ['threads_basic', 'threads_content_publish'] },
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: { access_token: 'THQVJ-short-lived', user_id: 17841400000000000 },
    },
    token: { access_token: 'THQVJ-short-lived' },
    tokenWithout: ['refresh_token'],
    authorize: {
      url: 'https://threads.com/oauth/authorize',
      params: { scope: 'threads_basic,threads_content_publish' },
    },
    profile: {
      sample: {
        id: '1234567',
        username: 'threadsapitestuser',
        name: 'Threads API Test User',
        threads_profile_picture_url:
          'https://scontent-sjc3-1.cdninstagram.com/link/to/profile/picture/on/threads/',
      },
      expected: {
        id: '1234567',
        name: 'Threads API Test User',
        avatarUrl:
          'https://scontent-sjc3-1.cdninstagram.com/link/to/profile/picture/on/threads/',
      },
    },
  },
  {
    preset: 'tumblr',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'tumblr-at-1',
        expires_in: 2520,
        id_token: false,
        refresh_token: 'tumblr-rt-1',
        scope: 'basic offline_access',
        token_type: 'bearer',
      },
    },
    token: {
      access_token: 'tumblr-at-1',
      refresh_token: 'tumblr-rt-1',
      expires_in: 2520,
    },
    tokenWithout: ['id_token'],
    authorize: {
      url: 'https://www.tumblr.com/oauth2/authorize',
      params: { scope: 'basic offline_access' },
    },
    profile: {
      sample: {
        meta: { status: 200, msg: 'OK' },
        response: {
          user: {
            following: 263,
            default_post_format: 'html',
            name: 'derekg',
            likes: 606,
            blogs: [
              {
                name: 'derekg',
                title: 'Derek Gottfrid',
                url: 'https://derekg.org/',
                uuid: 't:0aY0xL2Fi1OFJg4YxpmegQ',
                primary: true,
                avatar: [
                  {
                    width: 512,
                    height: 512,
                    url: 'https://64.media.tumblr.com/avatar_512.png',
                  },
                ],
              },
            ],
          },
        },
      },
      expected: {
        id: 'derekg',
        name: 'derekg',
        avatarUrl: 'https://64.media.tumblr.com/avatar_512.png',
      },
    },
  },
  {
    preset: 'typeform',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://api.typeform.com/oauth/authorize',
      params: { scope: 'accounts:read offline' },
    },
    profile: {
      sample: {
        alias: 'Typeform User',
        email: 'user@example.com',
        language: 'en',
        user_id: '01A2B3C4D5E6F7G8H9I0J1K2L3',
      },
      expected: {
        id: '01A2B3C4D5E6F7G8H9I0J1K2L3',
        name: 'Typeform User',
        email: 'user@example.com',
      },
    },
  },
  {
    preset: 'vimeo',
    auth: 'basic',
    pkce: false,
    refresh: false,
    apiHeaders: { accept: 'application/vnd.vimeo.*+json;version=3.4' },
    tokenResponse: {
      json: {
        access_token: '7a1b6c0f2e',
        token_type: 'bearer',
        scope: 'public private',
        user: { uri: '/users/152184', name: 'Staff Picks' },
      },
    },
    token: { access_token: '7a1b6c0f2e', scope: 'public private' },
    authorize: {
      url: 'https://api.vimeo.com/oauth/authorize',
      params: { scope: 'public private' },
    },
    profile: {
      sample: {
        uri: '/users/152184',
        name: 'Staff Picks',
        link: 'https://vimeo.com/staff',
        pictures: { base_link: 'https://i.vimeocdn.com/portrait/123' },
      },
      expected: {
        id: '/users/152184',
        name: 'Staff Picks',
        avatarUrl: 'https://i.vimeocdn.com/portrait/123',
      },
    },
  },
  {
    preset: 'webflow',
    auth: 'post',
    pkce: false,
    refresh: false,
    authorize: {
      url: 'https://webflow.com/oauth/authorize',
      params: { scope: 'authorized_user:read sites:read' },
    },
    profile: {
      sample: {
        id: '545bbecb7bdd6769632504a7',
        email: 'some@email.com',
        firstName: 'Some',
        lastName: 'One',
      },
      expected: {
        id: '545bbecb7bdd6769632504a7',
        name: 'Some One',
        email: 'some@email.com',
      },
    },
  },
  {
    preset: 'whoop',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://api.prod.whoop.com/oauth/oauth2/auth',
      params: { scope: 'read:profile offline' },
    },
    profile: {
      sample: {
        user_id: 10129,
        email: 'jsmith123@whoop.com',
        first_name: 'John',
        last_name: 'Smith',
      },
      expected: {
        id: '10129',
        name: 'John Smith',
        email: 'jsmith123@whoop.com',
      },
    },
  },
  {
    preset: 'withings',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenBody: { action: 'requesttoken' },
    tokenResponse: {
      json: {
        status: 0,
        body: {
          userid: '12345678',
          access_token: 'a075f8c14fb8df40b08ebc8508533dc332a41910',
          refresh_token: 'f631236f02b991810feb774765b6ae8e6c6839ca',
          expires_in: 10800,
          scope: 'user.activity,user.metrics',
          csrf_token: 'PACnnxwHTaBQOGIVtXmzmBqVyuTcizMe',
          token_type: 'Bearer',
        },
      },
    },
    token: {
      access_token: 'a075f8c14fb8df40b08ebc8508533dc332a41910',
      refresh_token: 'f631236f02b991810feb774765b6ae8e6c6839ca',
      userid: '12345678',
      scope: 'user.activity user.metrics',
    },
    tokenWithout: ['body'],
    authorize: {
      url: 'https://account.withings.com/oauth2_user/authorize2',
      params: { scope: 'user.metrics' },
    },
  },
  {
    preset: 'wrike',
    options: { scope: ['wsReadOnly', 'amReadOnlyUser'] },
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'eyJ0dCI6InAiLCJhbGciOiJIUzI1NiIsInR2IjoiMSJ9',
        refresh_token: '5Yu4kCkd6iCUl8Hx6xpsFBUbFiRf3jLT',
        token_type: 'bearer',
        expires_in: 3600,
        host: 'www.wrike.com',
        scope: 'wsReadOnly,amReadOnlyUser',
      },
    },
    token: {
      access_token: 'eyJ0dCI6InAiLCJhbGciOiJIUzI1NiIsInR2IjoiMSJ9',
      refresh_token: '5Yu4kCkd6iCUl8Hx6xpsFBUbFiRf3jLT',
      scope: 'wsReadOnly amReadOnlyUser',
    },
    authorize: {
      url: 'https://login.wrike.com/oauth2/authorize/v4',
      params: { scope: 'wsReadOnly,amReadOnlyUser' },
    },
    profile: {
      sample: {
        kind: 'contacts',
        data: [
          {
            id: 'KUAAAAAQ',
            firstName: 'Ann',
            lastName: 'Lee',
            type: 'Person',
            profiles: [
              { accountId: 'IEAAAAAQ', email: 'ann@example.com', role: 'User' },
            ],
            avatarUrl: 'https://www.wrike.com/avatars/KUAAAAAQ.png',
            me: true,
          },
        ],
      },
      expected: {
        id: 'KUAAAAAQ',
        name: 'Ann Lee',
        email: 'ann@example.com',
        avatarUrl: 'https://www.wrike.com/avatars/KUAAAAAQ.png',
      },
    },
  },
  {
    preset: 'zendesk',
    options: { subdomain: 'acme', scope: 'read tickets:write' },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://acme.zendesk.com/oauth/authorizations/new',
      params: { scope: 'read tickets:write' },
    },
    codeBody: { scope: 'read tickets:write' },
    profile: {
      sample: {
        user: {
          id: 35436,
          name: 'Johnny Agent',
          email: 'johnny@example.com',
          photo: {
            content_url:
              'https://acme.zendesk.com/photos/my_funny_profile_pic.png',
          },
        },
      },
      expected: {
        id: '35436',
        name: 'Johnny Agent',
        email: 'johnny@example.com',
        avatarUrl: 'https://acme.zendesk.com/photos/my_funny_profile_pic.png',
      },
    },
  },
];
