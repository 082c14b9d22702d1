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
        // A resumed download whose range the registry cannot serve is the caller's to restart.
        if (response.IsSuccessStatusCode || rangeFrom > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
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
                    $"The registry {_registry} cannot be reached over {(IsLoopback() && !_sawCertificate ? "https or http" : _scheme)}: {e.Message} Check that it runs and listens there{(_sawCertificate ? "; a self-signed certificate needs -SkipCertificateCheck" : "")}.", _registry, e);
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
            if (!Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme != "https" && !(realmUri.Scheme == "http" && realmUri.IsLoopback))
            {
                // The credential goes to the realm: never in the clear off this machine.
                throw Unauthorized($"its token service {realm} is neither HTTPS nor on this machine, and the credential is not sent there in the clear");
            }
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
                using var document = JsonDocument.Parse(await ReadBounded(response, MaxDocument, $"the token from {realm}", cancel).ConfigureAwait(false));
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
        var buffer = new byte[300];
        var length = 0;
        using (var stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancel).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }
        var detail = Encoding.UTF8.GetString(buffer, 0, length);
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => new ContainerPSException("ImageNotFoundInRegistry", FailureKind.ObjectNotFound,
                $"The registry {_registry} has no {what} (404 {detail.Trim()}). Check the name and tag.", what),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Unauthorized($"{(int)response.StatusCode} for {what}"),
            _ => new ContainerPSException("ImageRegistryFailed", FailureKind.ResourceUnavailable,
                $"The registry {_registry} answered {(int)response.StatusCode} {response.ReasonPhrase} for {what}: {detail.Trim()}", what),
        };
    }

    /// <summary>The most a manifest, index or token may be: more is a hostile or broken registry, not an image.</summary>
    public const int MaxDocument = 4 * 1024 * 1024;

    /// <summary>A response body read whole, refused past <paramref name="limit"/> bytes before it is all in memory.</summary>
    public static async Task<byte[]> ReadBounded(HttpResponseMessage response, long limit, string what, CancellationToken cancel)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            throw TooLarge(what, limit);
        }
        using var stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(what, limit);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ContainerPSException TooLarge(string what, long limit) =>
        new("ImageDocumentTooLarge", FailureKind.InvalidData, $"{what} is larger than {limit} bytes, which no image needs: the registry is broken or hostile. Nothing was stored.", what);

    public void Dispose()
    {
        _http.Dispose();
        _authenticating.Dispose();
    }
}
