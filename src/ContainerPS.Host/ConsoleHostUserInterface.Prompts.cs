using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace ContainerPS.Host;

/// <summary>
/// Reading from the user: Read-Host, mandatory-parameter prompts, -Confirm choices and credentials, in the
/// console host's wording. With -NonInteractive each of them fails as pwsh's does, instead of waiting for input.
/// </summary>
internal sealed partial class ConsoleHostUserInterface
{
    public override string ReadLine()
    {
        ThrowIfNonInteractive();
        return ReadInputLine() ?? throw EndOfInput();
    }

    /// <summary>A line from stdin, or null at end of input; the interactive loop ends there.</summary>
    public string? ReadInputLine()
    {
        lock (_writeLock)
        {
            _progress.Clear();
        }

        return Console.In.ReadLine();
    }

    public override SecureString ReadLineAsSecureString()
    {
        ThrowIfNonInteractive();
        var secret = new SecureString();
        if (Console.IsInputRedirected)
        {
            foreach (char c in ReadInputLine() ?? throw EndOfInput())
            {
                secret.AppendChar(c);
            }
        }
        else
        {
            ReadSecretKeys(secret);
        }

        secret.MakeReadOnly();
        return secret;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        ThrowIfNonInteractive();
        WriteCaptionAndMessage(caption, message);
        if (descriptions.Any(d => !string.IsNullOrEmpty(d.HelpMessage)))
        {
            WriteLine("(Type !? for Help.)");
        }

        var results = new Dictionary<string, PSObject>();
        foreach (FieldDescription field in descriptions)
        {
            results[field.Name] = PromptForField(field);
        }

        return results;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        ThrowIfNonInteractive();
        WriteCaptionAndMessage(caption, message);
        string[] hotkeys = choices.Select(c => Hotkey(c.Label)).ToArray();
        while (true)
        {
            for (int i = 0; i < choices.Count; i++)
            {
                string text = hotkeys[i].Length > 0 ? $"[{hotkeys[i]}] {PlainLabel(choices[i].Label)}  " : PlainLabel(choices[i].Label) + "  ";

                // pwsh shows the default choice in yellow, so Enter's meaning stands out.
                Write(i == defaultChoice ? ConsoleColor.Yellow : _rawUI.ForegroundColor, _rawUI.BackgroundColor, text);
            }

            Write("[?] Help");
            Write(defaultChoice >= 0 && defaultChoice < choices.Count ? $" (default is \"{hotkeys[defaultChoice]}\"): " : ": ");

            string answer = (ReadInputLine() ?? throw EndOfInput()).Trim();
            if (answer.Length == 0 && defaultChoice >= 0 && defaultChoice < choices.Count)
            {
                return defaultChoice;
            }

            if (answer == "?")
            {
                for (int i = 0; i < choices.Count; i++)
                {
                    WriteLine($"{(hotkeys[i].Length > 0 ? hotkeys[i] : PlainLabel(choices[i].Label))} - {choices[i].HelpMessage}");
                }

                continue;
            }

            for (int i = 0; i < choices.Count; i++)
            {
                if (string.Equals(answer, hotkeys[i], StringComparison.OrdinalIgnoreCase)
                    || string.Equals(answer, PlainLabel(choices[i].Label), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

    public override PSCredential PromptForCredential(
        string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
    {
        ThrowIfNonInteractive();
        WriteCaptionAndMessage(caption, message);
        while (string.IsNullOrEmpty(userName))
        {
            Write("User: ");
            userName = (ReadInputLine() ?? throw EndOfInput()).Trim();
        }

        Write($"Password for user {userName}: ");
        SecureString password = ReadLineAsSecureString();
        WriteLine(string.Empty);
        return new PSCredential(userName, password);
    }

    private PSObject PromptForField(FieldDescription field)
    {
        Type? type = Type.GetType(field.ParameterAssemblyFullName);
        if (type == typeof(PSCredential))
        {
            return new PSObject(PromptForCredential(string.Empty, string.Empty, string.Empty, string.Empty));
        }

        if (type == typeof(SecureString))
        {
            Write(field.Name + ": ");
            SecureString secret = ReadLineAsSecureString();
            WriteLine(string.Empty);
            return new PSObject(secret);
        }

        if (type is not null && type.IsArray)
        {
            // Like pwsh: one element per line, "Name[0]: ", "Name[1]: "..., an empty line ends the list.
            var items = new List<string>();
            while (true)
            {
                string item = ReadFieldLine(field, $"{field.Name}[{items.Count}]: ");
                if (item.Length == 0)
                {
                    return new PSObject(items.ToArray());
                }

                items.Add(item);
            }
        }

        return new PSObject(ReadFieldLine(field, field.Name + ": "));
    }

    /// <summary>One answer to a field prompt; '!?' shows the field's help message and asks again, as in pwsh.</summary>
    private string ReadFieldLine(FieldDescription field, string prompt)
    {
        while (true)
        {
            Write(prompt);
            string line = ReadInputLine() ?? throw EndOfInput();
            if (line.Trim() != "!?")
            {
                return line;
            }

            WriteLine(string.IsNullOrEmpty(field.HelpMessage) ? "No help is available for " + field.Name + "." : field.HelpMessage);
        }
    }

    /// <summary>Reads a secret from the terminal without echoing it, showing a '*' per character as pwsh does.</summary>
    private void ReadSecretKeys(SecureString secret)
    {
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                return;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.RemoveAt(secret.Length - 1);
                    Write("\b \b");
                }
            }
            else if (key.KeyChar != '\0')
            {
                secret.AppendChar(key.KeyChar);
                Write("*");
            }
        }
    }

    private void WriteCaptionAndMessage(string caption, string message)
    {
        if (!string.IsNullOrEmpty(caption))
        {
            // pwsh sets the caption off with a blank line and shows it in its prompt colour, yellow.
            WriteLine(string.Empty);
            WriteLine(ConsoleColor.Yellow, _rawUI.BackgroundColor, caption);
        }

        if (!string.IsNullOrEmpty(message))
        {
            WriteLine(message);
        }
    }

    /// <summary>The letter after '&amp;' in a choice label ("&amp;Yes" is Y), upper-cased; empty when there is none.</summary>
    private static string Hotkey(string label)
    {
        int amp = label.IndexOf('&');
        return amp >= 0 && amp + 1 < label.Length ? char.ToUpper(label[amp + 1], CultureInfo.CurrentCulture).ToString() : string.Empty;
    }

    private static string PlainLabel(string label) => label.Replace("&", string.Empty, StringComparison.Ordinal);

    private void ThrowIfNonInteractive()
    {
        if (_nonInteractive)
        {
            // pwsh's exact message, so scripts and people recognise it.
            throw new PSInvalidOperationException("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.");
        }
    }

    private static PromptingException EndOfInput() =>
        new("Cannot read the answer: standard input is at its end.");
}
