using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>
/// The OCI distribution API's client side, over HttpClient: HTTPS (a loopback registry that answers plain HTTP is
/// spoken to in HTTP, as docker treats 127.0.0.0/8 as an insecure registry), and the registry's challenge answered:
/// a Bearer challenge by a token from its realm (with the credential, if given, as Basic), a Basic one by the
/// credential itself. Failures become errors that name the registry, the request and what to do.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _registry;
    private readonly NetworkCredential? _credential;
    private string _scheme = "https";
    private AuthenticationHeaderValue? _authorization;
    private readonly SemaphoreSlim _authenticating = new(1, 1);
    private volatile bool _sawCertificate;

    public RegistryClient(string registry, NetworkCredential? credential, bool skipCertificateCheck)
    {
        _registry = registry;
        _credential = credential;
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        // Noting that a certificate came tells a TLS registry with a bad certificate from one that speaks plain HTTP.
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, _, _, errors) =>
            {
                _sawCertificate = true;
                return skipCertificateCheck || errors == SslPolicyErrors.None;
            },
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>GET /v2/NAME/KIND/REFERENCE; a 401 is answered once with the challenge's credentials, then the request sent again.</summary>
    public async Task<HttpResponseMessage> Get(string repository, string kind, string reference, string[] accept, long rangeFrom, CancellationToken cancel)
    {
        var path = $"/v2/{repository}/{kind}/{reference}";
        var response = await Send(path, accept, rangeFrom, cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
            response.Dispose();
            await Authenticate(challenge, repository, cancel).ConfigureAwait(false);
            response = await Send(path, accept, rangeFrom, cancel).ConfigureAwait(false);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw await Failure(response, $"{kind[..^1]} {repository}:{reference}", cancel).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> Send(string path, string[] accept, long rangeFrom, CancellationToken cancel)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{_scheme}://{_registry}{path}");
            foreach (var type in accept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }
            if (rangeFrom > 0)
            {
                request.Headers.Range = new RangeHeaderValue(rangeFrom, null);
            }
            request.Headers.Authorization = _authorization;
            try
            {
                return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (_scheme == "https" && !_sawCertificate && IsLoopback() && e.InnerException is AuthenticationException or IOException)
            {
                _scheme = "http"; // a loopback registry without TLS, as docker allows it
            }
            catch (HttpRequestException e)
            {
                throw new ContainerPSException("ImageRegistryUnreachable", FailureKind.ResourceUnavailable,
                    $"The registry {_registry} cannot be reached over {_scheme}: {e.Message} Check that it runs and listens there{(_scheme == "https" ? "; a self-signed certificate needs -SkipCertificateCheck" : "")}.", _registry, e);
            }
        }
    }

    private bool IsLoopback()
    {
        var host = _registry.StartsWith('[') ? _registry[1.._registry.IndexOf(']')] : _registry.Split(':')[0];
        return host == "localhost" || IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    private async Task Authenticate(AuthenticationHeaderValue? challenge, string repository, CancellationToken cancel)
    {
        await _authenticating.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (challenge?.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) == true)
            {
                _authorization = new AuthenticationHeaderValue("Basic", BasicOf(_credential ?? throw Unauthorized("it asks for a user name and password")));
                return;
            }
            if (challenge?.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) != true)
            {
                throw Unauthorized($"it answered 401 with the challenge '{challenge}', which is neither Basic nor Bearer");
            }
            var parameters = ChallengeParameters(challenge.Parameter ?? "");
            var realm = parameters.GetValueOrDefault("realm") ?? throw Unauthorized("its Bearer challenge names no realm");
            var query = new List<string>();
            if (parameters.TryGetValue("service", out var service))
            {
                query.Add("service=" + Uri.EscapeDataString(service));
            }
            query.Add("scope=" + Uri.EscapeDataString(parameters.GetValueOrDefault("scope") ?? $"repository:{repository}:pull"));
            using var request = new HttpRequestMessage(HttpMethod.Get, realm + (realm.Contains('?') ? "&" : "?") + string.Join('&', query));
            if (_credential is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicOf(_credential));
            }
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancel).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new ContainerPSException("ImageRegistryUnreachable", FailureKind.ResourceUnavailable,
                    $"The token service {realm} of registry {_registry} cannot be reached: {e.Message}", realm, e);
            }
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw Unauthorized($"its token service {realm} refused{(_credential is null ? " an anonymous request" : $" user '{_credential.UserName}'")} ({(int)response.StatusCode} {response.ReasonPhrase})");
                }
                using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false));
                var token = (document.RootElement.TryGetProperty("token", out var t) ? t : document.RootElement.GetProperty("access_token")).GetString();
                _authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }
        finally
        {
            _authenticating.Release();
        }
    }

    private static Dictionary<string, string> ChallengeParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, "(\\w+)=\"([^\"]*)\""))
        {
            result[m.Groups[1].Value] = m.Groups[2].Value;
        }
        return result;
    }

    private static string BasicOf(NetworkCredential credential) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Password}"));

    private ContainerPSException Unauthorized(string why) =>
        new("ImageRegistryUnauthorized", FailureKind.PermissionDenied,
            $"The registry {_registry} refused access: {why}.{(_credential is null ? " Give -Credential." : " Check the user name and password.")}", _registry);

    private async Task<ContainerPSException> Failure(HttpResponseMessage response, string what, CancellationToken cancel)
    {
        var body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
        var detail = body.Length > 300 ? body[..300] : body;
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => new ContainerPSException("ImageNotFoundInRegistry", FailureKind.ObjectNotFound,
                $"The registry {_registry} has no {what} (404 {detail.Trim()}). Check the name and tag.", what),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Unauthorized($"{(int)response.StatusCode} for {what}"),
            _ => new ContainerPSException("ImageRegistryFailed", FailureKind.ResourceUnavailable,
                $"The registry {_registry} answered {(int)response.StatusCode} {response.ReasonPhrase} for {what}: {detail.Trim()}", what),
        };
    }

    public void Dispose()
    {
        _http.Dispose();
        _authenticating.Dispose();
    }
}
