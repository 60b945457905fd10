/**
 * The case table of the cmd.exe tests: a spec for the case runner
 * (`guest/cmd_cases.c`: files to create, then command lines each run as
 * `cmd.exe /c LINE`) and the output Windows' documented behaviour gives,
 * after {@link normalizeCmdOutput}. `cmd_test.ts` runs it on Strata and
 * `tests/interop/win32_cmd_wine_test.ts` runs the same cmd.exe sources,
 * built with MinGW-w64, under Wine.
 *
 * @module
 */

/** Files ("#file NAME" ... "#end") and cases ("#case" then the command line). */
export const CMD_SPEC: string = String.raw`#file hello.txt
hello world
second line
#end
#file lines.txt
pear
Apple
banana
apple
#end
#file args.bat
@echo off
echo zero=%0 one=%1 two=%~2 all=[%*]
shift
echo after shift: %1
exit /b 3
#end
#file flow.bat
@echo off
set COUNT=0
:loop
set /a COUNT=COUNT+1
if %COUNT% LSS 3 goto loop
echo count=%COUNT%
call :twice a b
echo sub returned %ERRORLEVEL%
goto :eof
:twice
echo twice %1%2 %1%2
exit /b 5
#end
#file echoon.bat
echo visible
@echo hidden prompt
rem a remark
#end
#file ask.bat
@echo off
set /p ANSWER=Name? 
echo.
echo answer=%ANSWER%
#end
#file chain.bat
@echo off
call args.bat x y
echo chain got %ERRORLEVEL%
args.bat last
echo not reached
#end
#file deep.bat
@echo off
call :r
echo after
exit /b
:r
call :r
#end
#file local.bat
@echo off
set STRATA_L=outer
setlocal
set STRATA_L=inner
md loc 2>nul
cd loc
echo in: %STRATA_L%
endlocal
echo out: %STRATA_L%
cd
setlocal
set STRATA_M=gone at the end
#end
#file mods.bat
@echo off
echo [%~nx0] [%~x0] [%~n1] [%~x1] [%~1] [%~dp0]
for %%f in ("a b.txt" c.log) do echo %%~nf / %%~xf / %%~f
#end
#file blocks.bat
@echo off
if exist hello.txt (
  echo multi
  echo line
) else (
  echo never
)
for %%f in (a b) do (
  echo f=%%f
)
set /a N=4*5
if %N% EQU 20 (echo twenty) else echo other
set STRATA_X=abcdef
call echo %%STRATA_X:~1,3%% %%STRATA_X:cd=CD%%
#end
#case
echo hello   world
#case
echo.
#case
echo
#case
echo off & echo
#case
echo a& echo b & echo c
#case
ver
#case
set STRATA_T=one two& set STRATA_T
#case
set STRATA_NOPE_X
#case
set STRATA_A=1& set STRATA_A=& set STRATA_A
#case
set /a 6*7+1
#case
set /a (1+2)*3, 10/3, X=10%3 & echo. & set X
#case
set /a 1/0
#case
echo %STRATA_UNDEFINED% and %ERRORLEVEL%
#case
exit 42
#case
exit /b 7
#case
nosuchcommand arg
#case
nosuchcommand || echo fallback
#case
echo ok && echo and
#case
type nofile.txt
#case
type nofile.txt && echo yes || echo no
#case
type hello.txt
#case
type hello.txt | find "second"
#case
find /c "l" hello.txt
#case
find /n /i "APPLE" lines.txt
#case
find /v "a" < lines.txt
#case
find "zzz" lines.txt
#case
sort lines.txt
#case
sort /r < lines.txt
#case
type lines.txt | sort | find /n "p"
#case
echo redirected > out.txt & type out.txt
#case
echo more >> out.txt & type out.txt
#case
nosuchcommand 2> err.txt & type err.txt
#case
(echo one & echo two) > block.txt & type block.txt
#case
type nofile.txt 2>&1 | find /c /v ""
#case
if exist hello.txt echo exists
#case
if not exist nofile.txt (echo missing) else (echo present)
#case
if /i "ABC"=="abc" echo same
#case
if "ABC"=="abc" (echo same) else (echo differ)
#case
if 10 GTR 9 echo numeric
#case
if defined PATH echo path defined
#case
nosuchcommand 2>nul & if errorlevel 9009 echo level 9009
#case
if 1==1 echo a & echo b
#case
if 1==2 echo a & echo b
#case
for %i in (x y z) do echo item %i
#case
for %f in (*.txt) do echo file %f
#case
for /l %n in (1,2,7) do echo n=%n
#case
md sub\deeper\deepest & cd sub\deeper & cd
#case
md sub
#case
dir /b sub
#case
cd nosuchdir
#case
cd hello.txt
#case
copy hello.txt sub\copy.txt
#case
copy hello.txt+lines.txt both.txt & type both.txt
#case
copy nofile.txt x.txt
#case
ren sub\copy.txt renamed.txt & dir /b sub
#case
move sub\renamed.txt moved.txt & type moved.txt
#case
del moved.txt & type moved.txt
#case
del nofile.txt
#case
rd sub
#case
rd /s /q sub & if not exist sub echo gone
#case
md w & echo 1 > w\a.log & echo 2 > w\b.log & del w\*.log & dir /b w
#case
args.bat first "second arg" third
#case
flow.bat
#case
echoon.bat
#case
chain.bat
#case
call args.bat p q
#case
cmd /c exit 5
#case
cmd /c "echo nested & exit 6"
#case
echo %CD%> cd.txt & find /c ":" cd.txt
#case
where nosuchprogram
#case
path > nul & echo path ok
#case
title hello & echo titled
#case
cls > cls.txt & find /c /v "" cls.txt
#case
pause < hello.txt
#case
ask.bat < lines.txt
#case
echo ^& escaped ^| too
#case
echo "quoted & kept"
#case
dir hello.txt
#case
blocks.bat
#case
md d1\d2 & echo x> d1\f.txt & dir d1
#case
for /d %d in (d*) do echo dir %d
#case
cd /d d1 & cd
#case
set STRATA_P1=a& set STRATA_P2=b& set STRATA_P
#case
copy *.txt d1\d2 > nul & dir /b d1\d2
#case
type hello.txt lines.txt
#case
deep.bat
#case
echo (a) & (echo b)
#case
if exist hello.txt (type hello.txt | find "world") else echo no
#case
local.bat & set STRATA_M
#case
pushd d1 & cd & popd & cd
#case
setlocal & set STRATA_N=kept at the prompt& set STRATA_N
#case
mods.bat "x y.tar"
#case
for %f in (hello.txt) do echo %~ff %~nxf
#case
& echo x
#case
echo a | | echo b
#case
for /x %i in (a) do echo %i
#case
if a equal a echo x
#case
copy nul empty.txt & dir /b empty.txt
#case
type nodir\con
`;

/**
 * Makes the two runs comparable: the working folder (the runner's first
 * line) becomes `<CWD>`, the drive letter of `dir`'s volume line `<D>`,
 * dates `<DATE>`, and the free bytes of `dir` (when kernel32 reports them)
 * are dropped.
 */
export function normalizeCmdOutput(out: string): string {
  let text = out.replaceAll("\r", "");
  const cwd = /^cwd=(.*)$/m.exec(text)?.[1];
  if (cwd) text = text.replaceAll(cwd, "<CWD>");
  return text
    .replace(/ Volume in drive [A-Z] /g, " Volume in drive <D> ")
    .replace(/\d\d\/\d\d\/\d{4} {2}\d\d:\d\d [AP]M/g, "<DATE>")
    .replace(/(Dir\(s\))( +[\d,]+ bytes free)?$/gm, "$1");
}

/** What the runner prints for {@link CMD_SPEC}, normalized. */
export const CMD_EXPECTED: string = String.raw`cwd=<CWD>
=== echo hello   world
hello   world
rc=0
=== echo.

rc=0
=== echo
ECHO is on.
rc=0
=== echo off & echo
ECHO is off.
rc=0
=== echo a& echo b & echo c
a
b 
c
rc=0
=== ver

Strata Windows [Version 10.0.19045]
rc=0
=== set STRATA_T=one two& set STRATA_T
STRATA_T=one two
rc=0
=== set STRATA_NOPE_X
Environment variable STRATA_NOPE_X not defined
rc=1
=== set STRATA_A=1& set STRATA_A=& set STRATA_A
Environment variable STRATA_A not defined
rc=1
=== set /a 6*7+1
43rc=0
=== set /a (1+2)*3, 10/3, X=10%3 & echo. & set X
1 
X=1
rc=0
=== set /a 1/0
Divide by zero error.
rc=1073750993
=== echo %STRATA_UNDEFINED% and %ERRORLEVEL%
%STRATA_UNDEFINED% and 0
rc=0
=== exit 42
rc=42
=== exit /b 7
rc=7
=== nosuchcommand arg
'nosuchcommand' is not recognized as an internal or external command,
operable program or batch file.
rc=9009
=== nosuchcommand || echo fallback
'nosuchcommand' is not recognized as an internal or external command,
operable program or batch file.
fallback
rc=9009
=== echo ok && echo and
ok 
and
rc=0
=== type nofile.txt
The system cannot find the file specified.
rc=1
=== type nofile.txt && echo yes || echo no
The system cannot find the file specified.
no
rc=1
=== type hello.txt
hello world
second line
rc=0
=== type hello.txt | find "second"
second line
rc=0
=== find /c "l" hello.txt

---------- HELLO.TXT: 2
rc=0
=== find /n /i "APPLE" lines.txt

---------- LINES.TXT
[2]Apple
[4]apple
rc=0
=== find /v "a" < lines.txt
Apple
rc=0
=== find "zzz" lines.txt

---------- LINES.TXT
rc=1
=== sort lines.txt
Apple
apple
banana
pear
rc=0
=== sort /r < lines.txt
pear
banana
Apple
apple
rc=0
=== type lines.txt | sort | find /n "p"
[1]Apple
[2]apple
[4]pear
rc=0
=== echo redirected > out.txt & type out.txt
redirected  
rc=0
=== echo more >> out.txt & type out.txt
redirected  
more  
rc=0
=== nosuchcommand 2> err.txt & type err.txt
'nosuchcommand' is not recognized as an internal or external command,
operable program or batch file.
rc=0
=== (echo one & echo two) > block.txt & type block.txt
one 
two
rc=0
=== type nofile.txt 2>&1 | find /c /v ""
1
rc=0
=== if exist hello.txt echo exists
exists
rc=0
=== if not exist nofile.txt (echo missing) else (echo present)
missing
rc=0
=== if /i "ABC"=="abc" echo same
same
rc=0
=== if "ABC"=="abc" (echo same) else (echo differ)
differ
rc=0
=== if 10 GTR 9 echo numeric
numeric
rc=0
=== if defined PATH echo path defined
path defined
rc=0
=== nosuchcommand 2>nul & if errorlevel 9009 echo level 9009
'nosuchcommand' is not recognized as an internal or external command,
operable program or batch file.
level 9009
rc=9009
=== if 1==1 echo a & echo b
a 
b
rc=0
=== if 1==2 echo a & echo b
rc=0
=== for %i in (x y z) do echo item %i
item x
item y
item z
rc=0
=== for %f in (*.txt) do echo file %f
file block.txt
file err.txt
file hello.txt
file lines.txt
file out.txt
rc=0
=== for /l %n in (1,2,7) do echo n=%n
n=1
n=3
n=5
n=7
rc=0
=== md sub\deeper\deepest & cd sub\deeper & cd
<CWD>\sub\deeper
rc=0
=== md sub
A subdirectory or file sub already exists.
rc=1
=== dir /b sub
deeper
rc=0
=== cd nosuchdir
The system cannot find the path specified.
rc=1
=== cd hello.txt
The directory name is invalid.
rc=1
=== copy hello.txt sub\copy.txt
        1 file(s) copied.
rc=0
=== copy hello.txt+lines.txt both.txt & type both.txt
hello.txt
lines.txt
        1 file(s) copied.
hello world
second line
pear
Apple
banana
apple
rc=0
=== copy nofile.txt x.txt
The system cannot find the file specified.
        0 file(s) copied.
rc=1
=== ren sub\copy.txt renamed.txt & dir /b sub
deeper
renamed.txt
rc=0
=== move sub\renamed.txt moved.txt & type moved.txt
        1 file(s) moved.
hello world
second line
rc=0
=== del moved.txt & type moved.txt
The system cannot find the file specified.
rc=1
=== del nofile.txt
Could Not Find <CWD>\nofile.txt
rc=0
=== rd sub
The directory is not empty.
rc=1
=== rd /s /q sub & if not exist sub echo gone
gone
rc=0
=== md w & echo 1 > w\a.log & echo 2 > w\b.log & del w\*.log & dir /b w
File Not Found
rc=1
=== args.bat first "second arg" third
zero=args.bat one=first two=second arg all=[first "second arg" third]
after shift: "second arg"
rc=3
=== flow.bat
count=3
twice ab ab
sub returned 5
rc=5
=== echoon.bat

<CWD>>echo visible
visible
hidden prompt

<CWD>>rem a remark
rc=0
=== chain.bat
zero=args.bat one=x two=y all=[x y]
after shift: y
chain got 3
zero=args.bat one=last two= all=[last]
after shift: 
rc=3
=== call args.bat p q
zero=args.bat one=p two=q all=[p q]
after shift: q
rc=3
=== cmd /c exit 5
rc=5
=== cmd /c "echo nested & exit 6"
nested 
rc=6
=== echo %CD%> cd.txt & find /c ":" cd.txt

---------- CD.TXT: 1
rc=0
=== where nosuchprogram
INFO: Could not find files for the given pattern(s).
rc=1
=== path > nul & echo path ok
path ok
rc=0
=== title hello & echo titled
titled
rc=0
=== cls > cls.txt & find /c /v "" cls.txt

---------- CLS.TXT: 1
rc=0
=== pause < hello.txt
Press any key to continue . . . 
rc=0
=== ask.bat < lines.txt
Name? 
answer=pear
rc=0
=== echo ^& escaped ^| too
& escaped | too
rc=0
=== echo "quoted & kept"
"quoted & kept"
rc=0
=== dir hello.txt
 Volume in drive <D> has no label.

 Directory of <CWD>

<DATE>                26 hello.txt
               1 File(s)             26 bytes
               0 Dir(s)
rc=0
=== blocks.bat
multi
line
f=a
f=b
twenty
bcd abCDef
rc=0
=== md d1\d2 & echo x> d1\f.txt & dir d1
 Volume in drive <D> has no label.

 Directory of <CWD>\d1

<DATE>    <DIR>          .
<DATE>    <DIR>          ..
<DATE>    <DIR>          d2
<DATE>                 4 f.txt
               1 File(s)              4 bytes
               3 Dir(s)
rc=0
=== for /d %d in (d*) do echo dir %d
dir d1
rc=0
=== cd /d d1 & cd
<CWD>\d1
rc=0
=== set STRATA_P1=a& set STRATA_P2=b& set STRATA_P
STRATA_P1=a
STRATA_P2=b
rc=0
=== copy *.txt d1\d2 > nul & dir /b d1\d2
block.txt
both.txt
cd.txt
cls.txt
err.txt
hello.txt
lines.txt
out.txt
rc=0
=== type hello.txt lines.txt

hello.txt


hello world
second line

lines.txt


pear
Apple
banana
apple
rc=0
=== deep.bat
****** B A T C H   R E C U R S I O N  exceeds STACK limits ******
******       B A T C H   PROCESSING IS   A B O R T E D      ******
rc=255
=== echo (a) & (echo b)
(a) 
b
rc=0
=== if exist hello.txt (type hello.txt | find "world") else echo no
hello world
rc=0
=== local.bat & set STRATA_M
in: inner
out: outer
<CWD>
Environment variable STRATA_M not defined
rc=1
=== pushd d1 & cd & popd & cd
<CWD>\d1
<CWD>
rc=0
=== setlocal & set STRATA_N=kept at the prompt& set STRATA_N
STRATA_N=kept at the prompt
rc=0
=== mods.bat "x y.tar"
[mods.bat] [.bat] [x y] [.tar] [x y.tar] [<CWD>\]
a b / .txt / a b.txt
c / .log / c.log
rc=0
=== for %f in (hello.txt) do echo %~ff %~nxf
<CWD>\hello.txt hello.txt
rc=0
=== & echo x
& was unexpected at this time.
rc=255
=== echo a | | echo b
| was unexpected at this time.
rc=255
=== for /x %i in (a) do echo %i
/x was unexpected at this time.
rc=255
=== if a equal a echo x
equal was unexpected at this time.
rc=255
=== copy nul empty.txt & dir /b empty.txt
        1 file(s) copied.
empty.txt
rc=0
=== type nodir\con
The system cannot find the file specified.
rc=1
`;
